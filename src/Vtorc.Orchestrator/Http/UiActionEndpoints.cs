using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Reparent.Operations;

namespace Vtorc.Orchestrator.Http;

/// <summary>
/// Ours, for the operator's page (not in Vitess): <c>/api/disabled-recoveries</c> (the recovery switches of every
/// scope), <c>/api/ui/session</c> (the anti-forgery token and whether actions are refused) and the page's actions under
/// <c>/api/ui/actions/</c>: POST only, a JSON body, the token in <see cref="CsrfHeader"/>, answers and errors as JSON.
/// The token is random per server; a page of another origin cannot read it (no CORS), so it cannot forge an action
/// even when the browser sends the operator's credentials along.
/// </summary>
internal sealed class UiActionEndpoints
{
    public const string CsrfHeader = "X-Vtorc-Csrf-Token";
    public const string ActionsPrefix = "/api/ui/actions/";

    private readonly IOrchestratorQueries _queries;
    private readonly IOrchestratorActions _actions;
    private readonly SecurityPolicy _policy;
    private readonly byte[] _token = RandomNumberGenerator.GetBytes(32);
    private readonly string _tokenText;

    public UiActionEndpoints(IOrchestratorQueries queries, IOrchestratorActions actions, SecurityPolicy policy)
    {
        _queries = queries;
        _actions = actions;
        _policy = policy;
        _tokenText = Base64Url.EncodeToString(_token);
    }

    public IEnumerable<HttpEndpoint> Endpoints() =>
    [
        HttpEndpoint.JsonRead("/api/disabled-recoveries", AclRole.Monitoring, DisabledRecoveriesAsync),
        HttpEndpoint.JsonRead("/api/ui/session", AclRole.Monitoring, SessionAsync),
        Action("acknowledge", AcknowledgeAsync, "RecoveryId", "Keyspace", "Shard", "Comment"),
        Action("disable-recoveries", DisableAsync, "Scope", "Keyspace", "Shard", "Reason"),
        Action("enable-recoveries", EnableAsync, "Scope", "Keyspace", "Shard"),
        Action("planned-reparent", PlannedReparentAsync, "Keyspace", "Shard", "NewPrimary"),
        Action("emergency-reparent", EmergencyReparentAsync, "Keyspace", "Shard", "NewPrimary"),
    ];

    private async Task DisabledRecoveriesAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var disables = await _queries.ReadRecoveryDisablesAsync(cancellationToken).ConfigureAwait(false);
        await HttpResponses.JsonAsync(context, StatusCodes.Status200OK, GoJsonSerializer.Serialize(disables.Select(DisabledRecoveryJson.From).ToList()))
            .ConfigureAwait(false);
    }

    private Task SessionAsync(HttpContext context, CancellationToken cancellationToken) =>
        HttpResponses.JsonAsync(context, StatusCodes.Status200OK, GoJsonSerializer.Serialize(new UiSessionJson(_tokenText, !_policy.AllowsAdmin)));

    private HttpEndpoint Action(string name, Func<HttpContext, JsonActionBody, string, CancellationToken, Task<string>> act, params string[] fields) =>
        HttpEndpoint.JsonPost(ActionsPrefix + name, AclRole.Admin, async (context, cancellationToken) =>
        {
            CheckToken(context.Request);
            CheckContentType(context.Request);
            var body = await JsonActionBody.ReadAsync(context.Request.Body, [.. fields, ActionRequester.Field], cancellationToken).ConfigureAwait(false);
            var message = await act(context, body, ActionRequester.Of(context, body), cancellationToken).ConfigureAwait(false);
            await HttpResponses.JsonAsync(context, StatusCodes.Status200OK, GoJsonSerializer.Serialize(new MessageJson(message))).ConfigureAwait(false);
        });

    private void CheckToken(HttpRequest request)
    {
        var given = request.Headers[CsrfHeader].ToString();
        if (given.Length == 0)
        {
            throw new ActionRefusedException(StatusCodes.Status403Forbidden,
                $"Missing {CsrfHeader} header: send the CsrfToken of /api/ui/session with every action");
        }
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(_tokenText)))
        {
            throw new ActionRefusedException(StatusCodes.Status403Forbidden,
                $"Wrong {CsrfHeader} header: it is not this server's token (reload the page after a daemon restart)");
        }
    }

    private static void CheckContentType(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new ActionRefusedException(StatusCodes.Status415UnsupportedMediaType,
                $"Unsupported Content-Type \"{request.ContentType}\": send the action as application/json");
        }
    }

    private async Task<string> AcknowledgeAsync(HttpContext context, JsonActionBody body, string by, CancellationToken cancellationToken)
    {
        var recoveryId = body.NonNegativeInteger("RecoveryId");
        var keyspace = body.Text("Keyspace");
        var shard = body.Text("Shard");
        if (recoveryId is not null && (keyspace.Length != 0 || shard.Length != 0))
        {
            throw new QueryParameterException("Invalid fields: give either RecoveryId, or Keyspace and Shard, not both");
        }
        if (recoveryId is null && (keyspace.Length == 0 || shard.Length == 0))
        {
            throw new QueryParameterException(keyspace.Length == 0 && shard.Length == 0
                ? "Missing value for RecoveryId: give RecoveryId, or Keyspace and Shard"
                : $"Missing value for {(keyspace.Length == 0 ? "Keyspace" : "Shard")}: acknowledging a shard's recoveries needs both Keyspace and Shard");
        }
        var comment = body.Required("Comment", "say why the recovery is acknowledged");
        int count = recoveryId is { } id
            ? await _actions.AcknowledgeRecoveryAsync(id, by, comment, cancellationToken).ConfigureAwait(false)
            : await _actions.AcknowledgeShardAsync(keyspace, shard, by, comment, cancellationToken).ConfigureAwait(false);
        var what = recoveryId is { } one ? $"recovery {one.ToString(CultureInfo.InvariantCulture)}" : $"the finished recoveries of {keyspace}/{shard}";
        return count == 0
            ? $"Nothing acknowledged: {what} unknown, not finished or already acknowledged"
            : $"Acknowledged {count.ToString(CultureInfo.InvariantCulture)} {(count == 1 ? "recovery" : "recoveries")} ({what})";
    }

    private async Task<string> DisableAsync(HttpContext context, JsonActionBody body, string by, CancellationToken cancellationToken)
    {
        var scope = Scope(body, mustBeKnown: true);
        await _actions.DisableRecoveriesAsync(scope, by, body.Text("Reason").Trim(), cancellationToken).ConfigureAwait(false);
        return $"Recoveries disabled {scope}: problems there are detected and shown, not repaired";
    }

    private async Task<string> EnableAsync(HttpContext context, JsonActionBody body, string by, CancellationToken cancellationToken)
    {
        // An unknown keyspace or shard is accepted: a disable may outlive the shard it was for.
        var scope = Scope(body, mustBeKnown: false);
        bool wasDisabled = await _actions.EnableRecoveriesAsync(scope, by, cancellationToken).ConfigureAwait(false);
        var covering = RecoveryDisable.Covering(await _queries.ReadRecoveryDisablesAsync(cancellationToken).ConfigureAwait(false),
            scope.Keyspace, scope.Shard);
        var message = wasDisabled ? $"Recoveries enabled {scope}" : $"Recoveries were not disabled {scope}";
        return covering is null ? message : $"{message}; still {covering.Describe()}";
    }

    private async Task<string> PlannedReparentAsync(HttpContext context, JsonActionBody body, string by, CancellationToken cancellationToken)
    {
        var (keyspace, shard) = KnownShard(body);
        var newPrimary = body.Required("NewPrimary", "name the replica to promote (tablet alias, e.g. zone1-0000000102)");
        CheckTabletOfShard(keyspace, shard, newPrimary);
        var result = await _actions.PlannedReparentAsync(keyspace, shard, newPrimary, by).ConfigureAwait(false);
        return Describe("Planned reparent", result);
    }

    private async Task<string> EmergencyReparentAsync(HttpContext context, JsonActionBody body, string by, CancellationToken cancellationToken)
    {
        var (keyspace, shard) = KnownShard(body);
        string? newPrimary = body.Has("NewPrimary") ? body.Required("NewPrimary", "name a tablet alias, or send null to let the reparent choose") : null;
        if (newPrimary is not null)
        {
            CheckTabletOfShard(keyspace, shard, newPrimary);
        }
        var result = await _actions.EmergencyReparentAsync(keyspace, shard, newPrimary, by).ConfigureAwait(false);
        return Describe("Emergency reparent", result);
    }

    private static string Describe(string what, ReparentResult result) => result.WasNoOp
        ? $"{what} of {result.Keyspace}/{result.Shard}: nothing to do, the primary is {result.NewPrimary}"
        : $"{what} of {result.Keyspace}/{result.Shard}: new primary {result.NewPrimary} (previous {result.PreviousPrimary ?? "none"})";

    private RecoveryScope Scope(JsonActionBody body, bool mustBeKnown)
    {
        var name = body.Required("Scope", "\"global\", \"keyspace\" or \"shard\"");
        var keyspace = body.Text("Keyspace");
        var shard = body.Text("Shard");
        switch (name)
        {
            case "global":
                if (keyspace.Length != 0 || shard.Length != 0)
                {
                    throw new QueryParameterException($"Invalid value for {(keyspace.Length != 0 ? "Keyspace" : "Shard")}: Scope \"global\" takes no keyspace or shard");
                }
                return RecoveryScope.Global;
            case "keyspace":
                if (shard.Length != 0)
                {
                    throw new QueryParameterException("Invalid value for Shard: Scope \"keyspace\" covers every shard of the keyspace; use Scope \"shard\" for one");
                }
                keyspace = body.Required("Keyspace", "Scope \"keyspace\" needs the keyspace");
                if (mustBeKnown && _queries.Snapshots(keyspace).Count == 0)
                {
                    throw new QueryParameterException($"Invalid value for Keyspace: the daemon watches no shard of keyspace \"{keyspace}\"");
                }
                return RecoveryScope.ForKeyspace(keyspace);
            case "shard":
                if (mustBeKnown)
                {
                    var (k, s) = KnownShard(body);
                    return RecoveryScope.ForShard(k, s);
                }
                return RecoveryScope.ForShard(body.Required("Keyspace", "Scope \"shard\" needs the keyspace"),
                    body.Required("Shard", "Scope \"shard\" needs the shard, e.g. \"-80\""));
            default:
                throw new QueryParameterException($"Invalid value for Scope: \"{name}\" is not \"global\", \"keyspace\" or \"shard\"");
        }
    }

    private (string Keyspace, string Shard) KnownShard(JsonActionBody body)
    {
        var keyspace = body.Required("Keyspace", "name the shard's keyspace");
        var shard = body.Required("Shard", "name the shard, e.g. \"-80\"");
        if (_queries.Snapshots(keyspace, shard).Count == 0)
        {
            throw new QueryParameterException($"Invalid value for Shard: the daemon watches no shard {keyspace}/{shard}");
        }
        return (keyspace, shard);
    }

    private void CheckTabletOfShard(string keyspace, string shard, string alias)
    {
        var snapshot = _queries.Snapshots(keyspace, shard)[0];
        if (!snapshot.Tablets.Any(t => string.Equals(t.Alias, alias, StringComparison.Ordinal)))
        {
            throw new QueryParameterException($"Invalid value for NewPrimary: \"{alias}\" is not a tablet of {keyspace}/{shard}");
        }
    }
}
