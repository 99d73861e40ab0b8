namespace Vtorc.Agent.Flavors;

/// <summary>Which client connections a fence kills (<see cref="ClientConnections.IsClient"/> says what a client is).</summary>
public enum ClientKillScope
{
    All,

    /// <summary>Only connections whose commit waits for a semi-sync acknowledgement.</summary>
    SemiSyncWaiters,

    /// <summary>Every client but those waiting for a semi-sync acknowledgement (they are left to a crash of mysqld).</summary>
    AllButSemiSyncWaiters,
}
