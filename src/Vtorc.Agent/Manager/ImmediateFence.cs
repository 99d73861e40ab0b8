namespace Vtorc.Agent.Manager;

/// <summary>How an immediate fence (clients killed first, nothing waited for) stopped the server taking writes.</summary>
internal enum ImmediateFence
{
    /// <summary>read_only is set and was read back.</summary>
    ReadOnly,

    /// <summary>mysqld was killed to drop commits waiting for a semi-sync acknowledgement; it is down.</summary>
    MySqldKilled,
}
