namespace Vtorc.LocalCluster;

/// <summary>
/// Starts a member's mysqld again whenever it has exited, as systemd (Restart=always) or a container restart policy
/// would. The agent kills mysqld on purpose to drop commits that were never acknowledged (docs/reliability.md,
/// "Unacknowledged commits of an old primary") and counts on such a supervisor to bring it back; a test that does not
/// kill mysqld itself uses this to play that part.
/// </summary>
internal sealed class MySqldSupervisor : IAsyncDisposable
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(100);

    private readonly IReadOnlyList<AgentMember> _members;
    private readonly Action<string> _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _restarts;

    private MySqldSupervisor(IReadOnlyList<AgentMember> members, Action<string> log)
    {
        _members = members;
        _log = log;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Watches <paramref name="members"/> from now until disposed; <paramref name="log"/> hears of every restart.</summary>
    public static MySqldSupervisor Watch(IEnumerable<AgentMember> members, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(log);
        return new MySqldSupervisor(members.ToList(), log);
    }

    /// <summary>How many times a mysqld was started again.</summary>
    public int Restarts => Volatile.Read(ref _restarts);

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            foreach (var member in _members)
            {
                if (member.Server.IsRunning)
                {
                    continue;
                }
                try
                {
                    _log($"supervisor: mysqld of {member.AliasText} has exited; starting it again");
                    await member.Server.StartAgainAsync(AgentCluster.Deadline(60)).ConfigureAwait(false);
                    Interlocked.Increment(ref _restarts);
                    _log($"supervisor: mysqld of {member.AliasText} runs again");
                }
                catch (Exception e) when (e is MariaDbStartException or InvalidOperationException or OperationCanceledException)
                {
                    _log($"supervisor: could not start mysqld of {member.AliasText} again: {e.Message}");
                }
            }
            try
            {
                await Task.Delay(CheckInterval, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
