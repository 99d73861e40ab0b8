using Vtorc.Agent.MySql;
using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Tabletmanagerdata;
using Vtorc.LocalCluster;
using Xunit.Abstractions;
using static Tabletmanagerservice.TabletManager;

namespace Vtorc.Agent.Tests.Agent;

/// <summary>
/// The agent seen by a client that is not ours: grpc-dotnet's own channel and generated stub, and raw HTTP/2 for what a
/// stub cannot send. The status codes are the wire contract (docs/wire-format.md, "TabletManager RPCs"); they must not
/// change when the server's implementation does.
/// </summary>
[NeedsExternalProcess]
public sealed class ReferenceClientBatteryTests : AgentClusterTest
{
    private readonly ITestOutputHelper _output;

    public ReferenceClientBatteryTests(ITestOutputHelper output)
        : base(output)
    {
        _output = output;
    }

    private const string Service = "tabletmanagerservice.TabletManager";

    protected override int Size => 2;

    [Fact]
    public async Task A_reference_client_gets_the_same_status_codes_as_before()
    {
        await BuildShardAsync();
        var primary = Cluster[0];
        var replica = Cluster[1];
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{primary.GrpcPort}");
        using var replicaChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{replica.GrpcPort}");
        var client = new TabletManagerClient(channel);
        var replicaClient = new TabletManagerClient(replicaChannel);
        DateTime Deadline() => DateTime.UtcNow.AddSeconds(30);

        var codes = new Dictionary<string, StatusCode>
        {
            ["Ping"] = await CodeOf(() => client.PingAsync(new PingRequest { Payload = "battery" }, deadline: Deadline()).ResponseAsync),
            ["FullStatus"] = await CodeOf(() => client.FullStatusAsync(new FullStatusRequest(), deadline: Deadline()).ResponseAsync),
            ["ReplicationStatus on a replica"] =
                await CodeOf(() => replicaClient.ReplicationStatusAsync(new ReplicationStatusRequest(), deadline: Deadline()).ResponseAsync),
            ["WaitForPosition with a malformed position"] = await CodeOf(() =>
                client.WaitForPositionAsync(new WaitForPositionRequest { Position = "not a position" }, deadline: Deadline()).ResponseAsync),
            ["WaitForPosition with a 1 ms deadline"] = await CodeOf(() =>
                replicaClient.WaitForPositionAsync(new WaitForPositionRequest { Position = "MariaDB/0-1-999999999" },
                    deadline: DateTime.UtcNow.AddMilliseconds(1)).ResponseAsync),
            ["an unknown method"] = await CodeOf(() => channel.CreateCallInvoker().AsyncUnaryCall(
                new Method<PingRequest, PingResponse>(MethodType.Unary, Service, "NoSuchRpc",
                    Marshallers.Create(r => r.ToByteArray(), PingRequest.Parser.ParseFrom),
                    Marshallers.Create(r => r.ToByteArray(), PingResponse.Parser.ParseFrom)),
                null, new CallOptions(deadline: Deadline()), new PingRequest()).ResponseAsync),
            ["a body whose length prefix promises more than it sends"] =
                await RawCodeAsync(primary.GrpcPort, "Ping", [0, 0, 0, 0, 10, 0x0A, 0x01]),
            ["a body that is not protobuf"] = await RawCodeAsync(primary.GrpcPort, "Ping", [0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF]),
            ["a 20 MiB request"] = await CodeOf(() =>
                client.PingAsync(new PingRequest { Payload = new string('x', 20 * 1024 * 1024) }, deadline: Deadline()).ResponseAsync),
        };
        foreach (var (call, code) in codes)
        {
            _output.WriteLine($"{call}: {code}");
        }

        Assert.Equal(new Dictionary<string, StatusCode>
        {
            ["Ping"] = StatusCode.OK,
            ["FullStatus"] = StatusCode.OK,
            ["ReplicationStatus on a replica"] = StatusCode.OK,
            ["WaitForPosition with a malformed position"] = StatusCode.InvalidArgument,
            ["WaitForPosition with a 1 ms deadline"] = StatusCode.DeadlineExceeded,
            ["an unknown method"] = StatusCode.Unimplemented,
            ["a body whose length prefix promises more than it sends"] = StatusCode.Internal,
            ["a body that is not protobuf"] = StatusCode.Internal,
            ["a 20 MiB request"] = StatusCode.ResourceExhausted,
        }, codes);
    }

    [Fact]
    public async Task Stopping_the_agent_ends_a_running_call_UNAVAILABLE_saying_so()
    {
        await BuildShardAsync();
        var replica = Cluster[1];
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{replica.GrpcPort}");
        var call = new TabletManagerClient(channel).WaitForPositionAsync(new WaitForPositionRequest { Position = "MariaDB/0-1-999999999" },
            deadline: DateTime.UtcNow.AddSeconds(60)).ResponseAsync;
        await Poll.UntilAsync(() => WaitIsRunningAsync(replica), TimeSpan.FromSeconds(30), "the replica's mysqld runs the position wait");

        await replica.StopAgentAsync();

        var e = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Contains("shutting down", e.Status.Detail);
    }

    private static async Task<bool> WaitIsRunningAsync(AgentMember member)
    {
        using var connection = await member.OpenMySqlAsync();
        var result = await connection.QueryAsync(
            "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%GTID_WAIT%' AND INFO NOT LIKE '%PROCESSLIST%'", AgentCluster.Deadline());
        return result.Rows[0][0] != "0";
    }

    private async Task<StatusCode> CodeOf<T>(Func<Task<T>> call)
    {
        try
        {
            await call();
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            _output.WriteLine($"  {e.StatusCode}: {e.Status.Detail}");
            return e.StatusCode;
        }
    }

    /// <summary>POSTs a hand-made gRPC body over HTTP/2 and reads grpc-status from the headers or the trailers.</summary>
    private async Task<StatusCode> RawCodeAsync(int port, string rpc, byte[] body)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/{Service}/{rpc}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        using var response = await http.SendAsync(request, AgentCluster.Deadline());
        await response.Content.ReadAsByteArrayAsync(AgentCluster.Deadline());
        var status = response.Headers.TryGetValues("grpc-status", out var values) || response.TrailingHeaders.TryGetValues("grpc-status", out values)
            ? values.Single()
            : throw new InvalidOperationException($"HTTP {(int)response.StatusCode} without grpc-status");
        var message = response.Headers.TryGetValues("grpc-message", out var m) || response.TrailingHeaders.TryGetValues("grpc-message", out m)
            ? m.Single()
            : "";
        _output.WriteLine($"  HTTP {(int)response.StatusCode}, grpc-status {status}: {Uri.UnescapeDataString(message)}");
        return (StatusCode)int.Parse(status, System.Globalization.CultureInfo.InvariantCulture);
    }
}
