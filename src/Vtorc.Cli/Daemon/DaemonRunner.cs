using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Daemon;
using Vtorc.Orchestrator.Discovery;
using Vtorc.Orchestrator.Http;
using Vtorc.Orchestrator.Metrics;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Store;
using Vtorc.Reparent.TabletManager;
using Vtorc.Topo;

namespace Vtorc.Cli.Daemon;

/// <summary>
/// The root `vtorc` command: turns the validated flags into the daemon's options, runs the daemon (and its HTTP
/// server when --port is set) until SIGTERM/Ctrl-C, then shuts down as VTOrc does (closeVTOrc in
/// go/vt/vtorc/logic/vtorc.go).
/// </summary>
public static class DaemonRunner
{
    public static OrchestratorOptions ToOptions(DaemonFlagValues flags, TopoServerOptions topo)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(topo);
        var analysis = new AnalysisSettings
        {
            InstancePollTime = flags.InstancePollTime,
            ReasonableReplicationLag = flags.ReasonableReplicationLag,
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

    /// <param name="tabletSecurity">TLS and static auth to tablets (--tablet-manager-grpc-*, --grpc-auth-static-client-creds).</param>
    /// <param name="httpCertificate">Serve --port over HTTPS with this certificate (--http-tls-cert/--http-tls-key).</param>
    public static async Task<int> RunAsync(DaemonFlagValues flags, TopoServerOptions topoOptions, TextWriter output, TextWriter error,
        CancellationToken stopping, TabletClientSecurity? tabletSecurity = null, System.Security.Cryptography.X509Certificates.X509Certificate2? httpCertificate = null)
    {
        var options = ToOptions(flags, topoOptions);
        using var loggers = ConsoleLogging.Create();
        var logger = loggers.CreateLogger("vtorc");
        WarnAboutIgnoredFlags(flags, logger);

        await using var topo = TopoServer.Open(topoOptions);
        TabletManagerClientOptions tabletOptions;
        try
        {
            tabletOptions = (tabletSecurity ?? new()).Apply(new TabletManagerClientOptions { DefaultTimeout = topoOptions.OperationTimeout });
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

        OrchestratorHttpServer? http = null;
        try
        {
            if (flags.Port != 0)
            {
                try
                {
                    http = await OrchestratorHttpServer.StartAsync(daemon, metrics,
                        new HttpServerOptions
                        {
                            Port = flags.Port,
                            BindAddress = flags.BindAddress,
                            SecurityPolicy = flags.SecurityPolicy,
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
                logger.LogInformation("Termination requested: shutting down (waiting at most {Wait} for running recoveries' shard locks)",
                    options.ShutdownWaitTime);
            }
        }
        finally
        {
            if (http is not null)
            {
                await http.DisposeAsync().ConfigureAwait(false);
            }
            await daemon.ShutdownAsync().ConfigureAwait(false);
        }
        return 0;
    }

    private static void WarnAboutIgnoredFlags(DaemonFlagValues flags, ILogger logger)
    {
        if (flags.AuditToSyslog)
        {
            logger.LogWarning("--audit-to-syslog is accepted for compatibility but syslog is not supported; audit entries go to " +
                "--audit-file-location, the backend (--audit-to-backend) or this log");
        }
    }
}
