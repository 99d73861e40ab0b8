namespace Vtorc.Topo;

/// <summary>The kinds of topology failure callers branch on (Vitess's topo error codes, plus a lost lock).</summary>
public enum TopoErrorKind
{
    /// <summary>The file (or directory) does not exist.</summary>
    NoNode,

    /// <summary>A create found the file already there; a TryLock found the lock held.</summary>
    NodeExists,

    /// <summary>A versioned update or delete found a different version (or no file).</summary>
    BadVersion,

    /// <summary>The deadline passed or etcd was unavailable.</summary>
    Timeout,

    /// <summary>The caller cancelled.</summary>
    Interrupted,

    /// <summary>The response was too big; list in smaller pieces.</summary>
    ResourceExhausted,

    /// <summary>A stored value could not be decoded as the record it should be.</summary>
    Corrupt,

    /// <summary>A lock we held is gone (its lease expired or was revoked).</summary>
    LockLost,

    /// <summary>A watch asked for history that etcd has compacted away: read the present state and watch from now.</summary>
    Compacted,

    /// <summary>Any other etcd failure.</summary>
    Unknown,
}
