using MySqlConnector;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Topodata;
using Vtorc.Agent;
using Vtorc.Agent.MySql;
using Grpc.Core;
using Grpc.Net.Client;
using Vtorc.Protocol.Rpc;
using Vtorc.Topo;

namespace Vtorc.LocalCluster;

/// <summary>
/// A real shard on loopback: one etcd, N MariaDB servers and one tablet agent per server, in one or more cells. Agents
/// run in-process or each as its own <c>vtorc tablet</c> process (<see cref="AgentHosting"/>). Members can be crashed
/// (SIGKILL of mysqld by pid; an agent SIGKILLed by pid, or abandoned without clean shutdown in-process), stopped and
/// restarted. Disposing tears everything down even after a failed test.
/// </summary>
public sealed class AgentCluster : IAsyncDisposable
{
    public const string Keyspace = "ks";
    public const string Shard = "0";

    private readonly ILoggerFactory _loggerFactory;
    private readonly List<AgentMember> _members = [];

    private AgentCluster(EtcdProcess etcd, TopoServer topo, string globalRoot, ILoggerFactory loggerFactory, AgentHosting hosting,
        VtorcExecutable? executable)
    {
        Etcd = etcd;
        Topo = topo;
        GlobalRoot = globalRoot;
        _loggerFactory = loggerFactory;
        Hosting = hosting;
        Executable = executable;
    }

    public AgentHosting Hosting { get; }

    /// <summary>The vtorc program the agents run as (null in-process).</summary>
    public VtorcExecutable? Executable { get; }

    public EtcdProcess Etcd { get; }

    /// <summary>The test's own view of the topology.</summary>
    public TopoServer Topo { get; }

    public string GlobalRoot { get; }

    public IReadOnlyList<AgentMember> Members => _members;

    public AgentMember this[int index] => _members[index];

    /// <summary>
    /// Starts etcd, <paramref name="size"/> MariaDB servers and their agents (uids 100, 101, …; cells round-robin).
    /// With <see cref="AgentHosting.Process"/> the vtorc program is located first (<see cref="VtorcExecutable.Locate()"/>).
    /// </summary>
    /// <param name="tabletTypes">The type each member's tablet starts as (REPLICA or RDONLY), by member index; REPLICA when absent.</param>
    /// <param name="agentArguments">More flags for every agent process (<see cref="AgentMember.AgentArguments"/>).</param>
    public static async Task<AgentCluster> StartAsync(int size, ILoggerFactory loggerFactory, IReadOnlyList<string>? cells = null,
        IReadOnlyList<string>? mariaDbArguments = null, AgentHosting hosting = AgentHosting.InProcess,
        IReadOnlyList<TabletType>? tabletTypes = null, CancellationToken cancellationToken = default, TimeSpan? healthCheckInterval = null,
        IReadOnlyList<string>? agentArguments = null)
    {
        cells ??= ["zone1"];
        var executable = hosting == AgentHosting.Process ? VtorcExecutable.Locate() : null;
        var etcd = await EtcdProcess.StartAsync(cancellationToken: cancellationToken);
        AgentCluster? cluster = null;
        try
        {
            var root = "/vitess/global";
            var topo = TopoServer.Open(new TopoServerOptions { GlobalServerAddresses = [etcd.Endpoint], GlobalRoot = root });
            cluster = new AgentCluster(etcd, topo, root, loggerFactory, hosting, executable)
            {
                HealthCheckInterval = healthCheckInterval ?? TabletAgentOptions.DefaultHealthCheckInterval,
            };
            foreach (var cell in cells)
            {
                await topo.CellInfos.CreateAsync(cell, new CellInfo { ServerAddress = etcd.Endpoint, Root = $"/vitess/{cell}" }, cancellationToken);
            }
            var servers = Enumerable.Range(0, size)
                .Select(_ => MariaDbProcess.StartAsync(new MariaDbProcessOptions { ExtraArguments = mariaDbArguments ?? [] }, cancellationToken))
                .ToList();
            for (var i = 0; i < size; i++)
            {
                // Added one by one so that a failed start still leaves the others to be disposed.
                var type = tabletTypes is not null && i < tabletTypes.Count ? tabletTypes[i] : TabletType.Replica;
                cluster._members.Add(new AgentMember(cluster, await servers[i], (uint)(100 + i), cells[i % cells.Count], type)
                {
                    AgentArguments = agentArguments ?? [],
                });
            }
            foreach (var member in cluster._members)
            {
                await member.StartAgentAsync(cancellationToken);
            }
            return cluster;
        }
        catch
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }
            else
            {
                await etcd.DisposeAsync();
            }
            throw;
        }
    }

    /// <summary>The in-process agents' --health-check-interval.</summary>
    public TimeSpan HealthCheckInterval { get; private init; }

    internal TabletAgentOptions OptionsFor(AgentMember member, int grpcPort) => new()
    {
        HealthCheckInterval = HealthCheckInterval,
        TabletUid = member.Uid,
        Cell = member.Cell,
        Keyspace = Keyspace,
        Shard = Shard,
        GrpcPort = grpcPort,
        InitialTabletType = member.InitialType,
        MySql = member.MySqlOptions,
        ReplicationUser = member.Server.User,
        ReplicationPassword = member.Server.Password,
        Topo = new TopoServerOptions { GlobalServerAddresses = [Etcd.Endpoint], GlobalRoot = GlobalRoot },
        MySqlStartTimeout = TimeSpan.FromSeconds(30),
    };

    internal AgentProcessOptions ProcessOptionsFor(AgentMember member, int grpcPort) => new()
    {
        TabletUid = member.Uid,
        Cell = member.Cell,
        Keyspace = Keyspace,
        Shard = Shard,
        GrpcPort = grpcPort,
        TabletType = member.InitialType == TabletType.Rdonly ? "rdonly" : "replica",
        MySqlHost = member.Server.Host,
        MySqlPort = member.Server.Port,
        MySqlUser = member.Server.User,
        MySqlPassword = member.Server.Password,
        ReplicationUser = member.Server.User,
        ReplicationPassword = member.Server.Password,
        TopoGlobalServerAddress = Etcd.Endpoint,
        TopoGlobalRoot = GlobalRoot,
        Directory = member.Server.RootDirectory,
        Executable = Executable,
        ExtraArguments = member.AgentArguments,
    };

    internal ILoggerFactory LoggerFactory => _loggerFactory;

    public async Task<Shard> ShardRecordAsync() => (await Topo.Shards.GetAsync((Keyspace, Shard), Deadline())).Value;

    public static CancellationToken Deadline(int seconds = 30) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    public async ValueTask DisposeAsync()
    {
        foreach (var member in _members)
        {
            await Quietly(() => member.DisposeAsync().AsTask());
        }
        await Quietly(() => Topo.DisposeAsync().AsTask());
        await Quietly(() => Etcd.DisposeAsync().AsTask());
    }

    private static async Task Quietly(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Tear-down goes on with the other members; the test result already says what went wrong.
        }
    }
}

/// <summary>One MariaDB server and the agent that owns it.</summary>
public sealed class AgentMember : IAsyncDisposable
{
    private static readonly TimeSpan AgentStopGrace = TimeSpan.FromSeconds(20);

    private readonly AgentCluster _cluster;
    private GrpcChannel? _channel;
    private int _grpcPort;

    internal AgentMember(AgentCluster cluster, MariaDbProcess server, uint uid, string cell, TabletType initialType)
    {
        _cluster = cluster;
        Server = server;
        Uid = uid;
        Cell = cell;
        InitialType = initialType;
    }

    /// <summary>The type the tablet starts as when the topology does not name it primary (REPLICA or RDONLY).</summary>
    public TabletType InitialType { get; }

    public MariaDbProcess Server { get; }

    public uint Uid { get; }

    public string Cell { get; }

    public TabletAlias Alias => TabletAliases.Create(Cell, Uid);

    public string AliasText => Alias.ToText();

    /// <summary>The running in-process agent, or null after a stop (always null with <see cref="AgentHosting.Process"/>).</summary>
    public TabletAgent? Agent { get; private set; }

    /// <summary>Changes the in-process agent's options from its next start on (e.g. a disk-stall probe directory).</summary>
    public Func<TabletAgentOptions, TabletAgentOptions>? ConfigureAgent { get; set; }

    /// <summary>
    /// More <c>vtorc tablet</c> flags for this member's agent process from its next start on; refused in-process (use
    /// <see cref="ConfigureAgent"/> there).
    /// </summary>
    public IReadOnlyList<string> AgentArguments
    {
        get => _agentArguments;
        set => _agentArguments = value.Count == 0 || Hosting == AgentHosting.Process ? value
            : throw new InvalidOperationException($"agent flags are for agent processes; {AliasText}'s agent runs in-process (use ConfigureAgent)");
    }

    private IReadOnlyList<string> _agentArguments = [];

    /// <summary>The running agent process, or null after a stop or kill (always null with <see cref="AgentHosting.InProcess"/>).</summary>
    public AgentProcess? AgentProcess { get; private set; }

    public AgentHosting Hosting => _cluster.Hosting;

    public bool IsAgentRunning => Agent is not null || AgentProcess is { HasExited: false };

    /// <summary>The pid of the agent process; null in-process or when no agent process runs.</summary>
    public int? AgentPid => AgentProcess is { HasExited: false } process ? process.Pid : null;

    /// <summary>The agent's gRPC port (kept across restarts); 0 before the first start.</summary>
    public int GrpcPort => _grpcPort;

    /// <summary>The agent process's log (stdout and stderr of every run), or null in-process.</summary>
    public string? AgentLogPath => Hosting == AgentHosting.Process ? AgentProcess.LogPathFor(Server.RootDirectory, Uid) : null;

    public MySqlConnectionOptions MySqlOptions => new()
    {
        Host = Server.Host,
        Port = Server.Port,
        User = Server.User,
        Password = Server.Password,
        ConnectTimeout = TimeSpan.FromSeconds(3),
        CommandTimeout = TimeSpan.FromSeconds(20),
    };

    /// <summary>The unprivileged account's connection (read_only refuses its writes): what an application sees.</summary>
    public MySqlConnectionOptions AppMySqlOptions => MySqlOptions with { User = Server.AppUser, Password = Server.AppPassword };

    /// <summary>A direct connection as the unprivileged account.</summary>
    public Task<MySqlConnection> OpenAppMySqlAsync() => MySqlCalls.OpenAsync(AppMySqlOptions, AgentCluster.Deadline());

    /// <summary>Starts (or restarts, on the same gRPC port) this member's agent.</summary>
    public async Task StartAgentAsync(CancellationToken cancellationToken = default)
    {
        if (Agent is not null || AgentProcess is not null)
        {
            throw new InvalidOperationException($"the agent of {AliasText} is already running");
        }
        string address;
        if (Hosting == AgentHosting.Process)
        {
            AgentProcess = await AgentProcess.StartAsync(_cluster.ProcessOptionsFor(this, _grpcPort), _cluster.Topo, cancellationToken);
            _grpcPort = AgentProcess.GrpcPort;
            address = AgentProcess.GrpcAddress;
        }
        else
        {
            var options = _cluster.OptionsFor(this, _grpcPort);
            Agent = await TabletAgent.StartAsync(ConfigureAgent?.Invoke(options) ?? options, _cluster.LoggerFactory, cancellationToken);
            _grpcPort = Agent.GrpcPort;
            address = Agent.GrpcAddress;
        }
        _channel?.Dispose();
        _channel = RpcChannels.Create(address);
    }

    /// <summary>
    /// Clean shutdown (tablet_shutdown_time set): in-process, or SIGTERM by pid and wait for the exit. Throws when the
    /// process had to be killed or exited with an error (after it is gone).
    /// </summary>
    public async Task StopAgentAsync()
    {
        if (AgentProcess is { } process)
        {
            AgentProcess = null;
            try
            {
                await process.StopAsync(AgentStopGrace);
            }
            finally
            {
                await process.DisposeAsync();
            }
            if (process.ExitCode is not 0)
            {
                throw new InvalidOperationException(
                    $"the agent of {AliasText} (pid {process.Pid}) did not stop cleanly: exit code {process.ExitCode}; log {process.LogPath}:\n{process.LogTail()}");
            }
            return;
        }
        var agent = Agent ?? throw new InvalidOperationException($"the agent of {AliasText} is not running");
        Agent = null;
        await agent.StopAsync(AgentCluster.Deadline());
    }

    /// <summary>
    /// The agent dies without clean shutdown, so the topology keeps what it last wrote: SIGKILL by pid (waiting for the
    /// exit) with <see cref="AgentHosting.Process"/>, abandoned in-process otherwise.
    /// </summary>
    public async Task KillAgentAsync()
    {
        if (AgentProcess is { } process)
        {
            AgentProcess = null;
            try
            {
                process.Kill();
            }
            finally
            {
                await process.DisposeAsync();
            }
            return;
        }
        var agent = Agent ?? throw new InvalidOperationException($"the agent of {AliasText} is not running");
        Agent = null;
        await agent.AbandonAsync();
    }

    /// <summary>The same as <see cref="KillAgentAsync"/> (the name the first tests used).</summary>
    public Task CrashAgentAsync() => KillAgentAsync();

    /// <summary>Calls a TabletManager RPC on this member's agent.</summary>
    public Task<TResponse> CallAsync<TRequest, TResponse>(string rpc, TRequest request, TimeSpan? timeout = null)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var channel = _channel ?? throw new InvalidOperationException($"no agent of {AliasText} was started");
        return channel.CreateCallInvoker().AsyncUnaryCall(TabletManagerMethod<TRequest, TResponse>.For(rpc), null,
            new CallOptions(deadline: DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30))), request).ResponseAsync;
    }

    /// <summary>This member's health stream (queryservice.Query/StreamHealth) on the same channel as <see cref="CallAsync"/>.</summary>
    public IAsyncEnumerable<Query.StreamHealthResponse> StreamHealthAsync(CancellationToken cancellationToken)
    {
        var channel = _channel ?? throw new InvalidOperationException($"no agent of {AliasText} was started");
        return Vtorc.Protocol.Tablets.TabletHealthStream.ReadAsync(channel.CreateCallInvoker(), null, cancellationToken);
    }

    /// <summary>A direct connection to this member's mysqld, for the test's own reads and writes.</summary>
    public Task<MySqlConnection> OpenMySqlAsync() => MySqlCalls.OpenAsync(MySqlOptions, AgentCluster.Deadline());

    public async Task<Tablet> TabletRecordAsync() => (await _cluster.Topo.Tablets.GetAsync(Alias, AgentCluster.Deadline())).Value;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (AgentProcess is { } process)
            {
                AgentProcess = null;
                await process.DisposeAsync();
            }
            if (Agent is { } agent)
            {
                Agent = null;
                await agent.StopAsync(AgentCluster.Deadline(10));
            }
        }
        finally
        {
            _channel?.Dispose();
            await Server.DisposeAsync();
        }
    }
}
