namespace Vtorc.Replication;

/// <summary>
/// An immutable replication position as Vitess writes it (docs/wire-format.md, "Replication positions"):
/// <c>MySQL56/&lt;gtid set&gt;</c>, <c>MariaDB/&lt;domain-server-sequence,…&gt;</c>,
/// <c>FilePos/&lt;file&gt;:&lt;offset&gt;</c>, or the empty string for "no position" (<see cref="Empty"/>).
/// </summary>
/// <remarks>
/// <see cref="IsEmpty"/> means "no position at all" (flavor <see cref="PositionFlavor.None"/>). A position with a
/// flavor but no transactions (<c>MySQL56/</c>) is not empty: it is a valid GTID position that contains only other
/// empty GTID sets — use <see cref="HasTransactions"/> to ask whether anything was executed.
/// </remarks>
public sealed class ReplicationPosition : IEquatable<ReplicationPosition>
{
    public const string MySql56Prefix = "MySQL56";
    public const string MariaDbPrefix = "MariaDB";
    public const string FilePosPrefix = "FilePos";

    public static ReplicationPosition Empty { get; } = new(PositionFlavor.None, null, null, null);

    private string? _text;

    private ReplicationPosition(PositionFlavor flavor, GtidSet? gtidSet, MariaDbGtidPosition? mariaDb, FilePosition? file)
    {
        Flavor = flavor;
        GtidSet = gtidSet;
        MariaDb = mariaDb;
        File = file;
    }

    public static ReplicationPosition FromGtidSet(GtidSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        return new ReplicationPosition(PositionFlavor.MySql56, set, null, null);
    }

    public static ReplicationPosition FromMariaDb(MariaDbGtidPosition position)
    {
        ArgumentNullException.ThrowIfNull(position);
        return new ReplicationPosition(PositionFlavor.MariaDb, null, position, null);
    }

    public static ReplicationPosition FromFile(FilePosition position)
    {
        ArgumentNullException.ThrowIfNull(position);
        return new ReplicationPosition(PositionFlavor.FilePos, null, null, position);
    }

    public PositionFlavor Flavor { get; }

    /// <summary>The GTID set when <see cref="Flavor"/> is MySql56, else null.</summary>
    public GtidSet? GtidSet { get; }

    /// <summary>The MariaDB position when <see cref="Flavor"/> is MariaDb, else null.</summary>
    public MariaDbGtidPosition? MariaDb { get; }

    /// <summary>The file coordinate when <see cref="Flavor"/> is FilePos, else null.</summary>
    public FilePosition? File { get; }

    /// <summary>No position at all (the empty string).</summary>
    public bool IsEmpty => Flavor == PositionFlavor.None;

    /// <summary>Whether the position is GTID-based (MySQL56 or MariaDB).</summary>
    public bool IsGtidBased => Flavor is PositionFlavor.MySql56 or PositionFlavor.MariaDb;

    /// <summary>Whether the position records at least one transaction (a file position always does).</summary>
    public bool HasTransactions => Flavor switch
    {
        PositionFlavor.MySql56 => !GtidSet!.IsEmpty,
        PositionFlavor.MariaDb => !MariaDb!.IsEmpty,
        PositionFlavor.FilePos => true,
        _ => false,
    };

    /// <summary>Parses a position string; "" is <see cref="Empty"/>.</summary>
    /// <exception cref="PositionParseException">The text is malformed; the message quotes it and says what is wrong.</exception>
    public static ReplicationPosition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParseCore(text, out var position, out var problem))
        {
            throw new PositionParseException(text, problem!);
        }
        return position!;
    }

    public static bool TryParse(string text, out ReplicationPosition? position, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TryParseCore(text, out position, out var problem))
        {
            error = null;
            return true;
        }
        error = new PositionParseException(text, problem!).Message;
        return false;
    }

    private static bool TryParseCore(string text, out ReplicationPosition? position, out string? problem)
    {
        position = null;
        if (text.Length == 0)
        {
            position = Empty;
            problem = null;
            return true;
        }
        int slash = text.IndexOf('/');
        if (slash < 0)
        {
            problem = $"no '/' between a flavor and a value; expected {MySql56Prefix}/…, {MariaDbPrefix}/… or {FilePosPrefix}/…";
            return false;
        }
        var flavor = text.AsSpan(0, slash);
        int valueStart = slash + 1;
        if (flavor.SequenceEqual(MySql56Prefix))
        {
            if (GtidSetParser.TryParse(text, valueStart, out var set, out problem))
            {
                position = FromGtidSet(set!);
                return true;
            }
            return false;
        }
        if (flavor.SequenceEqual(MariaDbPrefix))
        {
            if (MariaDbGtidPosition.TryParseCore(text, valueStart, out var mariaDb, out problem))
            {
                position = FromMariaDb(mariaDb!);
                return true;
            }
            return false;
        }
        if (flavor.SequenceEqual(FilePosPrefix))
        {
            if (FilePosition.TryParseCore(text, valueStart, out var file, out problem))
            {
                position = FromFile(file!);
                return true;
            }
            return false;
        }
        problem = $"unknown flavor '{flavor.ToString()}' before '/'; expected {MySql56Prefix}, {MariaDbPrefix} or {FilePosPrefix} (case-sensitive)";
        return false;
    }

    /// <summary>
    /// "This position is at least <paramref name="other"/>" (go/mysql/replication/replication_position.go): an empty
    /// other is contained in anything; an empty this contains only an empty other; different flavors never contain each
    /// other.
    /// </summary>
    public bool Contains(ReplicationPosition other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.IsEmpty)
        {
            return true;
        }
        if (IsEmpty || Flavor != other.Flavor)
        {
            return false;
        }
        return Flavor switch
        {
            PositionFlavor.MySql56 => GtidSet!.Contains(other.GtidSet!),
            PositionFlavor.MariaDb => MariaDb!.Contains(other.MariaDb!),
            _ => File!.Contains(other.File!),
        };
    }

    /// <summary>
    /// The smallest position containing both. Empty is the identity. For FilePos it is the later coordinate.
    /// </summary>
    /// <exception cref="ArgumentException">The flavors differ.</exception>
    public ReplicationPosition Union(ReplicationPosition other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.IsEmpty)
        {
            return this;
        }
        if (IsEmpty)
        {
            return other;
        }
        if (Flavor != other.Flavor)
        {
            throw new ArgumentException($"Cannot unite positions of different flavors: \"{this}\" and \"{other}\".", nameof(other));
        }
        return Flavor switch
        {
            PositionFlavor.MySql56 => FromGtidSet(GtidSet!.Union(other.GtidSet!)),
            PositionFlavor.MariaDb => FromMariaDb(MariaDb!.Union(other.MariaDb!)),
            _ => File!.CompareTo(other.File!) >= 0 ? this : other,
        };
    }

    public bool Equals(ReplicationPosition? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }
        if (other is null || other.Flavor != Flavor)
        {
            return false;
        }
        return Flavor switch
        {
            PositionFlavor.None => true,
            PositionFlavor.MySql56 => GtidSet!.Equals(other.GtidSet),
            PositionFlavor.MariaDb => MariaDb!.Equals(other.MariaDb),
            _ => File!.Equals(other.File),
        };
    }

    public override bool Equals(object? obj) => Equals(obj as ReplicationPosition);

    public override int GetHashCode() => Flavor switch
    {
        PositionFlavor.None => 0,
        PositionFlavor.MySql56 => HashCode.Combine(Flavor, GtidSet),
        PositionFlavor.MariaDb => HashCode.Combine(Flavor, MariaDb),
        _ => HashCode.Combine(Flavor, File),
    };

    public static bool operator ==(ReplicationPosition? left, ReplicationPosition? right) => left is null ? right is null : left.Equals(right);
    public static bool operator !=(ReplicationPosition? left, ReplicationPosition? right) => !(left == right);

    /// <summary>Canonical <c>Flavor/value</c>; "" for <see cref="Empty"/>.</summary>
    public override string ToString() => _text ??= Flavor switch
    {
        PositionFlavor.None => "",
        PositionFlavor.MySql56 => MySql56Prefix + "/" + GtidSet,
        PositionFlavor.MariaDb => MariaDbPrefix + "/" + MariaDb,
        _ => FilePosPrefix + "/" + File,
    };
}
