using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Vtorc.Orchestrator.Store;

/// <summary>Dumps every operator-visible table, in <see cref="StoreSchema.TableOrder"/>, for <c>/api/database-state</c>.</summary>
public sealed class DatabaseStateReader(StoreDatabase database)
{
    public async Task<IReadOnlyList<TableState>> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await database.RunAsync(async (connection, ct) =>
            {
                var tables = new List<TableState>(StoreSchema.TableOrder.Count);
                foreach (var table in StoreSchema.TableOrder)
                {
                    var rows = new List<IReadOnlyDictionary<string, string>>();
                    // Table names come from our fixed list, never from input.
                    await using var command = SqlCommands.Create(connection, $"SELECT * FROM {table} ORDER BY rowid", null);
                    await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        var row = new Dictionary<string, string>(reader.FieldCount, StringComparer.Ordinal);
                        for (var i = 0; i < reader.FieldCount; i++)
                            row[reader.GetName(i)] = reader.IsDBNull(i)
                                ? ""
                                : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? "";
                        rows.Add(row);
                    }
                    tables.Add(new TableState(table, rows));
                }
                return (IReadOnlyList<TableState>)tables;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw new StoreException($"reading the database state failed: {ex.Message}", ex);
        }
    }
}
