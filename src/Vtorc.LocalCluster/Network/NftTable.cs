using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Vtorc.LocalCluster.Network;

/// <summary>
/// One nftables table of our own (family <c>inet</c>), on the host or inside a network namespace: the one place that
/// runs <c>nft</c>, for the loopback partitions of the live tests (<see cref="LoopbackPortBlock"/>) and the chaos
/// suite's faults (<see cref="NftRuleSet"/>). Replacing the rules is one <c>nft -f</c> transaction, so packets never
/// see a half-built table; every <c>nft</c> run has <see cref="NetCommand"/>'s deadline, and a failure names the table,
/// the namespace and the rules. Needs root and the <c>nft</c> command (Debian nftables).
/// </summary>
internal sealed partial class NftTable
{
    private const string InputDirection = "iifname";
    private const string OutputDirection = "oifname";

    /// <param name="name">Letters, digits and underscores, starting with a letter.</param>
    /// <param name="ns">The namespace whose rule set holds the table; null for the host's.</param>
    public NftTable(string name, NetworkNamespace? ns = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!TableNamePattern().IsMatch(name))
        {
            throw new ArgumentException($"nftables table name \"{name}\" must be letters, digits and underscores, starting with a letter", nameof(name));
        }
        Name = name;
        Namespace = ns;
    }

    public string Name { get; }

    public NetworkNamespace? Namespace { get; }

    /// <summary>
    /// Replaces the table's rules with <paramref name="rules"/>, creating the table if needed. A rule that starts with
    /// <c>iifname</c> goes into an input chain, one that starts with <c>oifname</c> into an output chain (base chains,
    /// filter hook, priority 0, policy accept): each rule names the interface of its direction.
    /// </summary>
    /// <exception cref="ArgumentException">No rule, or a rule that names no direction.</exception>
    /// <exception cref="InvalidOperationException"><c>nft</c> failed or ran out of time; the message names the table and the rules.</exception>
    public Task ReplaceRulesAsync(IReadOnlyList<string> rules, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.Count == 0)
        {
            throw new ArgumentException($"no rule for nftables table {Describe()} (delete the table to let everything through)", nameof(rules));
        }
        foreach (var rule in rules)
        {
            if (!rule.StartsWith(InputDirection, StringComparison.Ordinal) && !rule.StartsWith(OutputDirection, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"nftables rule \"{rule}\" for table {Describe()} must start with {InputDirection} or {OutputDirection} (its direction)", nameof(rules));
            }
        }
        var script = new StringBuilder(EmptyingPreamble());
        script.AppendLine(CultureInfo.InvariantCulture, $"table inet {Name} {{");
        foreach (var (chain, direction) in new[] { ("input", InputDirection), ("output", OutputDirection) })
        {
            var chainRules = rules.Where(r => r.StartsWith(direction, StringComparison.Ordinal)).ToList();
            if (chainRules.Count == 0)
            {
                continue;
            }
            script.AppendLine(CultureInfo.InvariantCulture, $"  chain {chain} {{ type filter hook {chain} priority 0; policy accept;");
            foreach (var rule in chainRules)
            {
                script.AppendLine(CultureInfo.InvariantCulture, $"    {rule}");
            }
            script.AppendLine("  }");
        }
        script.AppendLine("}");
        return RunScriptAsync(script.ToString(), $"setting its rules [{string.Join("; ", rules)}]", cancellationToken);
    }

    /// <summary>Deletes the table with its rules (traffic flows again); a table that is already gone is no error.</summary>
    /// <exception cref="InvalidOperationException"><c>nft</c> failed or ran out of time; the message names the table.</exception>
    public Task DeleteAsync(CancellationToken cancellationToken) => RunScriptAsync(EmptyingPreamble(), "deleting it", cancellationToken);

    public override string ToString() => Describe();

    // "add" then "delete" removes the table whether or not it existed, inside the transaction of what follows.
    private string EmptyingPreamble() => $"add table inet {Name}\ndelete table inet {Name}\n";

    private async Task RunScriptAsync(string script, string action, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> prefix = Namespace?.ExecPrefix ?? [];
        try
        {
            await NetCommand.RunAsync([.. prefix, NetCommand.NftPath, "-f", "-"], cancellationToken, script).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"nftables table {Describe()}: {action} failed: {e.Message}", e);
        }
    }

    private string Describe() => Namespace is null ? $"inet {Name} (host)" : $"inet {Name} (namespace {Namespace.Name})";

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex TableNamePattern();
}
