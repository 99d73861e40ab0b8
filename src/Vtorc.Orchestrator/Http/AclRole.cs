namespace Vtorc.Orchestrator.Http;

/// <summary>The role a request needs (Vitess ACL roles); <see cref="Public"/> endpoints are never checked.</summary>
public enum AclRole
{
    Public = 0,
    Monitoring,
    Debugging,
    Admin,
}
