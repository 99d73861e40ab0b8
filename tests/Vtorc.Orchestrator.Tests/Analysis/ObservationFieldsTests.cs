using System.Reflection;
using System.Text.Json;
using Topodata;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Json;
using Vtorc.Orchestrator.Snapshot;
using Fields = Vtorc.Orchestrator.Analysis.InstanceObservation.Fields;

namespace Vtorc.Orchestrator.Tests.Analysis;

/// <summary>
/// The observation table (<see cref="InstanceObservation.Fields"/>) is complete — every stored field of
/// <see cref="InstanceObservation"/> is one row — and every reader and writer honours it: the snapshot file carries
/// each row, and the Instance and DetectionAnalysis JSON carry each row listed for them with its value.
/// </summary>
public sealed class ObservationFieldsTests
{
    private static readonly IReadOnlyDictionary<ObservationField, PropertyInfo> PropertyOfRow = MapRowsToProperties();

    [Fact]
    public void Every_stored_property_of_the_observation_is_read_by_exactly_one_row()
    {
        var blank = ObservationSamples.Blank();
        var missing = new List<string>();
        for (int i = 0; i < ObservationSamples.StoredProperties.Count; i++)
        {
            var property = ObservationSamples.StoredProperties[i];
            var changed = ObservationSamples.With(blank, property, ObservationSamples.SampleFor(property, i));
            var rows = Fields.All.Where(row => !Equals(ValueOf(row, changed), ValueOf(row, blank))).Select(row => row.SnapshotName).ToList();
            if (rows.Count == 0)
            {
                missing.Add(property.Name);
            }
            else
            {
                Assert.True(rows.Count == 1, $"{property.Name} is read by several rows: {string.Join(", ", rows)}");
            }
        }
        Assert.True(missing.Count == 0,
            $"InstanceObservation has fields that are no row of InstanceObservation.Fields (add one to its table): {string.Join(", ", missing)}");
        Assert.Equal(ObservationSamples.StoredProperties.Count, Fields.All.Length);
    }

    [Fact]
    public void Every_row_of_the_table_is_in_All_once_with_a_unique_snapshot_name()
    {
        var declared = typeof(Fields).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => typeof(ObservationField).IsAssignableFrom(f.FieldType))
            .Select(f => (ObservationField)f.GetValue(null)!)
            .ToHashSet();
        Assert.Equal(declared.Count, Fields.All.Length);
        Assert.True(declared.SetEquals(Fields.All));
        Assert.Equal(Fields.All.Length, Fields.All.Select(f => f.SnapshotName).Distinct().Count());
        Assert.Equal(Fields.All.Where(f => f.IsReadFromFullStatus), Fields.ReadFromFullStatus);
    }

    [Fact]
    public void A_row_has_a_FullStatus_reader_exactly_when_FullStatus_is_its_source_and_hand_written_JSON_has_a_name()
    {
        foreach (var row in Fields.All)
        {
            Assert.True(row.IsReadFromFullStatus == (row.Source == ObservationSource.FullStatus), row.SnapshotName);
            Assert.True(row.InstanceJsonByHand is null || row.InstanceJson is not null, row.SnapshotName);
            Assert.True(row.AnalysisJsonByHand is null || row.AnalysisJson is not null, row.SnapshotName);
        }
    }

    [Fact]
    public void Every_field_round_trips_through_the_snapshot_format()
    {
        var original = ObservationSamples.Full();
        var json = GoJsonWriter.Render(writer => ObservationJson.Write(writer, original));
        using var document = JsonDocument.Parse(json);

        var read = ObservationJson.Read(new JsonObjectReader(document.RootElement, "observation"));

        foreach (var row in Fields.All)
        {
            Assert.True(document.RootElement.TryGetProperty(row.SnapshotName, out _), $"{row.SnapshotName} is not in the snapshot");
            var property = PropertyOfRow[row];
            Assert.True(ObservationSamples.SameValue(property.GetValue(original), property.GetValue(read)),
                $"{row.SnapshotName} read back as {property.GetValue(read)}, written as {property.GetValue(original)}");
        }
    }

    [Fact]
    public void Every_field_listed_for_the_Instance_JSON_appears_there_with_its_value()
    {
        var observation = ObservationSamples.Full();
        var tablet = new TabletRecord(new Tablet
        {
            Alias = new TabletAlias { Cell = "zone9", Uid = 7 },
            Keyspace = "ks",
            Shard = "0",
            Type = TabletType.Replica,
            MysqlHostname = "record-host",
            MysqlPort = 3306,
        });
        var json = GoJsonWriter.Render(writer => InstanceJson.WriteObject(writer, tablet, observation, AnalysisSettings.Default, ShardScenario.Now));
        using var document = JsonDocument.Parse(json);

        foreach (var row in Fields.All.Where(r => r.InstanceJson is not null))
        {
            Assert.True(document.RootElement.TryGetProperty(row.InstanceJson!, out var value), $"{row.InstanceJson} is not in the Instance JSON");
            if (row.InstanceJsonByHand is null)
            {
                Assert.Equal(EncodedAsVitess(row, row.InstanceJson!, ValueOf(row, observation)), Compact(value));
            }
        }
    }

    [Fact]
    public void Every_field_listed_for_the_analysis_JSON_appears_there_with_the_analysed_tablets_value()
    {
        var s = new ShardScenario();
        s.Primary();
        var replica = s.Replica(101);
        var listed = Fields.All.Where(r => r.AnalysisJson is not null && r.AnalysisJsonByHand is null).ToList();
        // The errant GTID sample makes the replica a reported row (ErrantGTIDDetected).
        s.Observe(replica, o =>
        {
            for (int i = 0; i < listed.Count; i++)
            {
                var property = PropertyOfRow[listed[i]];
                o = ObservationSamples.With(o, property, ObservationSamples.SampleFor(property, i));
            }
            return o;
        });
        var analysis = s.AnalysisOf(replica);
        Assert.NotNull(analysis);
        var observation = s.Build().Observations[replica];
        var json = DetectionAnalysisJson.Write([analysis]);
        using var document = JsonDocument.Parse(json);
        var element = document.RootElement[0];

        foreach (var row in Fields.All.Where(r => r.AnalysisJson is not null))
        {
            Assert.True(element.TryGetProperty(row.AnalysisJson!, out var value), $"{row.AnalysisJson} is not in the analysis JSON");
            if (row.AnalysisJsonByHand is null)
            {
                Assert.Equal(EncodedAsVitess(row, row.AnalysisJson!, ValueOf(row, observation)), Compact(value));
            }
        }
    }

    private static object? ValueOf(ObservationField row, InstanceObservation observation) =>
        row.GetType().GetMethod(nameof(ObservationField<int>.Of))!.Invoke(row, [observation]);

    /// <summary>The value as the row's VTOrc encoding writes it, as compact JSON text.</summary>
    private static string EncodedAsVitess(ObservationField row, string name, object? value)
    {
        var json = GoJsonWriter.Render(writer =>
        {
            writer.WriteStartObject();
            row.GetType().GetMethod(nameof(ObservationField<int>.WriteVitessJson))!.Invoke(row, [writer, name, value]);
            writer.WriteEndObject();
        });
        using var document = JsonDocument.Parse(json);
        return Compact(document.RootElement.GetProperty(name));
    }

    /// <summary>A JSON value without the writer's indentation, its scalars exactly as written.</summary>
    private static string Compact(JsonElement value) => JsonSerializer.Serialize(value);

    /// <summary>Which property each row reads: the one whose change alone changes the row's value.</summary>
    private static Dictionary<ObservationField, PropertyInfo> MapRowsToProperties()
    {
        var blank = ObservationSamples.Blank();
        var map = new Dictionary<ObservationField, PropertyInfo>();
        for (int i = 0; i < ObservationSamples.StoredProperties.Count; i++)
        {
            var property = ObservationSamples.StoredProperties[i];
            var changed = ObservationSamples.With(blank, property, ObservationSamples.SampleFor(property, i));
            foreach (var row in Fields.All.Where(row => !Equals(ValueOf(row, changed), ValueOf(row, blank))))
            {
                map[row] = property;
            }
        }
        return map;
    }
}
