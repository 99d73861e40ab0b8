using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Vtorc.Cli.Config;
using Vtorc.Cli.Flags;
using Vtorc.Cli.Logging;
using Vtorc.Protocol.Rpc;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Daemon;
using Vtorc.Orchestrator.Discovery;
using Vtorc.Orchestrator.Http;
using Vtorc.Orchestrator.Metrics;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Store;
using Vtorc.Reparent.TabletManager;
using Vtorc.Orchestrator;
using Vtorc.Topo;

namespace Vtorc.Cli.Daemon;

/// <summary>
/// The root `vtorc` command: turns the validated flags into the daemon's options, runs the daemon (and its HTTP
/// server when --port is set) until SIGTERM/Ctrl-C, then shuts down as VTOrc does (closeVTOrc in
/// go/vt/vtorc/logic/vtorc.go).
/// </summary>
internal static class DaemonRunner
{
    public static OrchestratorOptions ToOptions(DaemonFlagValues flags, TopoServerOptions topo)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(topo);
        var analysis = new AnalysisSettings
        {
            InstancePollTime = flags.InstancePollTime,
            ReasonableReplicationLag = flags.ReasonableReplicationLag,
            PrimaryHealthWindow = PrimaryHealthWindow.LengthFor(topo.OperationTimeout),
            Quorum = flags.Quorum,
            FirstPollWait = flags.InstancePollTime + topo.OperationTimeout,
        };
        return new OrchestratorOptions
        {
            Discovery = new DiscoverySettings
            {
                InstancePollTime = flags.InstancePollTime,
                RemoteOperationTimeout = topo.OperationTimeout,
                DiscoveryWorkers = flags.DiscoveryWorkers,
                TopoInformationRefreshDuration = flags.TopoInformationRefreshDuration,
                EnablePrimaryDiskStalledRecovery = flags.EnablePrimaryDiskStalledRecovery,
                CellsToWatch = flags.CellsToWatch.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            },
            Recovery = new RecoverySettings
            {
                Analysis = analysis,
                AllowEmergencyReparent = flags.AllowEmergencyReparent,
                ChangeTabletsWithErrantGtidToDrained = flags.ChangeTabletsWithErrantGtidToDrained,
                RecoveryPeriodBlockDuration = flags.RecoveryPeriodBlockDuration,
                WaitReplicasTimeout = flags.WaitReplicasTimeout,
                PreventCrossCellFailover = flags.PreventCrossCellFailover,
                TolerableReplicationLag = flags.TolerableReplicationLag,
                RemoteOperationTimeout = topo.OperationTimeout,
            },
            Store = new StoreOptions
            {
                SqliteDataFile = flags.SqliteDataFile,
                AuditToBackend = flags.AuditToBackend,
                AuditFileLocation = flags.AuditFileLocation,
                RecoveryPollDuration = flags.RecoveryPollDuration,
            },
            ClustersToWatch = flags.ClustersToWatch,
            TopologyWatch = new TopologyWatchSettings { Enabled = flags.WatchTopology },
            HealthStream = new HealthStreamSettings
            {
                Enabled = flags.TabletHealthStream,
                SilenceTimeout = flags.TabletHealthStreamTimeout ?? new HealthStreamSettings().SilenceTimeout,
            },
            RecoveryPollDuration = flags.RecoveryPollDuration,
            AllowRecovery = flags.AllowRecovery,
            AuditPurgeDuration = flags.AuditPurgeDuration,
            ShutdownWaitTime = flags.ShutdownWaitTime,
            MaxConcurrentRecoveries = flags.MaxConcurrentRecoveries,
            Cell = flags.Cell,
        };
    }

    /// <summary>
    /// Runs the daemon: logging from its flags, then the config file merged under the command line, then the daemon and
    /// its HTTP server; a config file in use is watched and its dynamic settings applied while running.
    /// </summary>
    /// <param name="normalizedArgs">The command line, flag names normalised; the config file is merged under it.</param>
    /// <param name="commandLine">The flags <paramref name="parseResult"/> was parsed with.</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> normalizedArgs, ParseResult parseResult, DaemonCommandLine commandLine,
        TextWriter output, TextWriter error, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(commandLine);
        DaemonLogging logging;
        try
        {
            logging = commandLine.Logging.Create(parseResult);
        }
        catch (IOException e)
        {
            await error.WriteLineAsync($"vtorc: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        using (logging)
        {
            var logger = logging.Factory.CreateLogger("vtorc");
            DaemonConfiguration configuration;
            ResolvedSettings settings;
            TopoServerOptions topoOptions;
            try
            {
                configuration = DaemonConfiguration.Locate(normalizedArgs, Environment.GetEnvironmentVariable, logger);
                settings = configuration.Resolve();
                topoOptions = Ctl.CtlContext.OptionsFrom(parseResult, commandLine.Daemon.Topo);
            }
            catch (Exception e) when (e is ConfigFileException or Ctl.CtlUsageException)
            {
                await error.WriteLineAsync($"vtorc: {e.Message}").ConfigureAwait(false);
                return 1;
            }
            if (configuration.FilePath is not null)
            {
                logger.ConfigFileRead(configuration.FilePath);
            }
            foreach (var warning in settings.Warnings)
            {
                logger.ConfigFileKeyIgnored(warning);
            }
            WarnAboutFlagsWithoutEffect(settings, logger);
            logger.SharedBufferPoolMeasured(SharedBufferPool.ArraysKept(), Environment.ProcessorCount, SharedBufferPool.ArraysPerCoreVariable,
                Environment.GetEnvironmentVariable(SharedBufferPool.ArraysPerCoreVariable) ?? "(unset)");
            return await RunDaemonAsync(settings, configuration, topoOptions, parseResult, commandLine, logging, output, error, stopping).ConfigureAwait(false);
        }
    }

    private static async Task<int> RunDaemonAsync(ResolvedSettings settings, DaemonConfiguration configuration, TopoServerOptions topoOptions,
        ParseResult parseResult, DaemonCommandLine commandLine, DaemonLogging logging, TextWriter output, TextWriter error, CancellationToken stopping)
    {
        var flags = settings.Values;
        var loggers = logging.Factory;
        var logger = loggers.CreateLogger("vtorc");
        var options = ToOptions(flags, topoOptions);
        var maxMessageSize = parseResult.GetValue(commandLine.TabletClient.MaxMessageSize) ?? TabletClientFlags.DefaultMaxMessageSize;
        await using var topo = TopoServer.Open(topoOptions);
        TabletManagerClientOptions tabletOptions;
        System.Security.Cryptography.X509Certificates.X509Certificate2? httpCertificate;
        try
        {
            // TLS and static auth to tablets (--tablet-manager-grpc-*, --grpc-auth-static-client-creds) and HTTPS of --port
            // (--http-tls-cert/--http-tls-key, ours): files are read now, so a bad one stops the start naming the flag.
            tabletOptions = commandLine.TabletTls.GetValues(parseResult).Apply(new TabletManagerClientOptions
            {
                DefaultTimeout = topoOptions.OperationTimeout,
                ChannelOptions = new RpcChannelOptions { MaxReceiveMessageSize = maxMessageSize, MaxSendMessageSize = maxMessageSize },
            });
            httpCertificate = commandLine.Daemon.HttpTls.Load(parseResult);
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync($"vtorc: {e.Message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
            return 1;
        }
        using var tablets = new GrpcTabletManagerClient(tabletOptions);
        using var metrics = new VtorcMetrics();
        OrchestratorDaemon daemon;
        try
        {
            daemon = await OrchestratorDaemon.StartAsync(topo, tablets, options, metrics, loggers, TimeProvider.System, stopping)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await error.WriteLineAsync("vtorc: interrupted while starting").ConfigureAwait(false);
            return 130;
        }
        catch (StoreOpenException e)
        {
            await error.WriteLineAsync($"vtorc: --sqlite-data-file: {e.Message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
            return 1;
        }

        var current = settings;
        var pidFile = parseResult.GetValue(commandLine.PidFile) ?? "";
        var lameduck = commandLine.LameduckPeriod.GetValue(parseResult);
        long? terminatedAt = null;
        OrchestratorHttpServer? http = null;
        ConfigFileWatcher? watcher = null;
        try
        {
            if (pidFile.Length > 0)
            {
                try
                {
                    await File.WriteAllTextAsync(pidFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n", CancellationToken.None)
                        .ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    await error.WriteLineAsync($"vtorc: cannot write --pid-file \"{pidFile}\": {e.Message}").ConfigureAwait(false);
                    return 1;
                }
            }
            if (configuration.FilePath is not null)
            {
                watcher = new ConfigFileWatcher(configuration, updated =>
                {
                    var changed = updated.ChangedSince(Volatile.Read(ref current));
                    daemon.ApplyDynamicSettings(ToOptions(updated.Values, topoOptions));
                    Volatile.Write(ref current, updated);
                    LogConfigurationChange(updated, changed, logger);
                }, logger);
            }
            if (flags.Port != 0)
            {
                try
                {
                    http = await OrchestratorHttpServer.StartAsync(daemon.Queries, daemon.Actions, metrics,
                        new HttpServerOptions
                        {
                            Port = flags.Port, BindAddress = flags.BindAddress, SecurityPolicy = flags.SecurityPolicy,
                            SettingOrigins = () => Origins(Volatile.Read(ref current)),
                            Certificate = httpCertificate,
                        },
                        loggers, stopping).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException)
                {
                    await error.WriteLineAsync($"vtorc: cannot serve HTTP on --port {flags.Port} (--bind-address \"{flags.BindAddress}\"): " +
                        e.Message.ReplaceLineEndings(" ")).ConfigureAwait(false);
                    return 1;
                }
                await output.WriteLineAsync($"vtorc: status page {new Uri(http.BaseAddress, "debug/status")}").ConfigureAwait(false);
            }
            await output.WriteLineAsync("vtorc: running; stop with SIGTERM or Ctrl-C").ConfigureAwait(false);
            await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                terminatedAt = TimeProvider.System.GetTimestamp();
                logger.TerminationRequested(options.ShutdownWaitTime, GoDuration.Format(lameduck));
            }
        }
        finally
        {
            if (watcher is not null)
            {
                await watcher.DisposeAsync().ConfigureAwait(false);
            }
            // As servenv's Run: the shutdown (closeVTOrc, an OnTermSync hook in Vitess) runs within the lameduck period,
            // and the process stays up until the period since the signal has passed. Our HTTP server keeps answering
            // meanwhile, with /debug/health saying "shutting down" (docs/vitess-compatibility.md).
            await daemon.ShutdownAsync().ConfigureAwait(false);
            if (http is not null)
            {
                if (terminatedAt is { } start && lameduck - TimeProvider.System.GetElapsedTime(start) is var remaining && remaining > TimeSpan.Zero)
                {
                    logger.LameduckServing(GoDuration.Format(remaining));
                    await Task.Delay(remaining, CancellationToken.None).ConfigureAwait(false);
                }
                await http.DisposeAsync().ConfigureAwait(false);
            }
            if (pidFile.Length > 0)
            {
                File.Delete(pidFile);
            }
        }
        return 0;
    }

    /// <summary>Each flag's origin, for /api/config?sources=true.</summary>
    public static IReadOnlyDictionary<string, SettingOrigin> Origins(ResolvedSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var origins = new Dictionary<string, SettingOrigin>(StringComparer.Ordinal);
        foreach (var option in settings.CommandLine.All)
        {
            var key = option.Name[2..];
            var result = settings.Parsed.GetResult(option);
            var given = result is { Implicit: false } ? string.Join(",", result.Tokens.Select(t => t.Value)) : null;
            origins[key] = new SettingOrigin(settings.Sources[key], given is "" ? "true" : given, DaemonCommandLine.DynamicKeys.Contains(key));
        }
        return origins;
    }

    private static void LogConfigurationChange(ResolvedSettings updated, IReadOnlyList<string> changed, ILogger logger)
    {
        if (changed.Count == 0)
        {
            logger.ConfigChangedNothing();
            return;
        }
        var origins = Origins(updated);
        var dynamic = changed.Where(DaemonCommandLine.DynamicKeys.Contains).ToList();
        var fixedAtStart = changed.Where(k => !DaemonCommandLine.DynamicKeys.Contains(k)).ToList();
        if (dynamic.Count > 0)
        {
            logger.ConfigChangedApplied(string.Join(", ", dynamic.Select(k => $"{k}={origins[k].GivenText ?? "(default)"}")));
        }
        if (fixedAtStart.Count > 0)
        {
            logger.ConfigChangedNeedsRestart(string.Join(", ", fixedAtStart));
        }
    }

    private static void WarnAboutFlagsWithoutEffect(ResolvedSettings settings, ILogger logger)
    {
        var commandLine = settings.CommandLine;
        var parsed = settings.Parsed;
        var flags = settings.Values;
        foreach (var (name, reason) in commandLine.NoEffect.Given(parsed))
        {
            logger.FlagWithoutEffect(name, reason);
        }
        if (flags.AuditToSyslog)
        {
            logger.AuditToSyslogWithoutEffect();
        }
        if (flags.Quorum is { Enabled: true } quorum && quorum.Freshness <= flags.InstancePollTime)
        {
            // As Vitess warns: reports are refreshed only by polls, so a freshness within one poll interval lets votes lapse.
            logger.ShardTabletHealthFreshnessTooShort(quorum.Freshness, flags.InstancePollTime);
        }
    }
}
