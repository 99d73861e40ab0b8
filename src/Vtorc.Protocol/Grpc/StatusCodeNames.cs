namespace Vtorc.Protocol.Grpc;

/// <summary>The canonical upper-case names ("NOT_FOUND") that gRPC implementations print for status codes.</summary>
public static class StatusCodeNames
{
    private static readonly string[] Names =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
        "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];

    public static string Name(StatusCode code)
    {
        var i = (int)code;
        return (uint)i < (uint)Names.Length ? Names[i] : "CODE(" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")";
    }
}
