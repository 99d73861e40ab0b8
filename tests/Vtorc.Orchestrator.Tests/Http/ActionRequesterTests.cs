using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Vtorc.Orchestrator.Http;

namespace Vtorc.Orchestrator.Tests.Http;

public sealed class ActionRequesterTests
{
    private static Task<JsonActionBody> BodyAsync(string json) =>
        JsonActionBody.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), ["Reason", ActionRequester.Field], CancellationToken.None);

    private static DefaultHttpContext Request(string remote)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        // Any client can send this header; the record must not take it for the address.
        context.Request.Headers["X-Forwarded-For"] = "192.0.2.66";
        return context;
    }

    [Fact]
    public async Task Records_the_connections_address_and_the_typed_name_when_given()
    {
        Assert.Equal("alice, page from 10.1.2.3", ActionRequester.Of(Request("10.1.2.3"), await BodyAsync("""{"Operator":"  alice  "}""")));
        Assert.Equal("page from 10.1.2.3", ActionRequester.Of(Request("10.1.2.3"), await BodyAsync("""{"Reason":"x"}""")));
        Assert.Equal("page from 10.1.2.3", ActionRequester.Of(Request("10.1.2.3"), await BodyAsync("""{"Operator":" "}""")));
        Assert.Equal("page from ::1", ActionRequester.Of(Request("::1"), await BodyAsync("""{"Operator":null}""")));
        Assert.Equal("page from an unknown address", ActionRequester.Describe("", null));
    }

    [Fact]
    public async Task An_authenticated_user_is_recorded_instead_of_the_typed_name()
    {
        var context = Request("10.1.2.3");
        context.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, "sso-bob")], "test"));

        Assert.Equal("sso-bob, page from 10.1.2.3", ActionRequester.Of(context, await BodyAsync("""{"Operator":"alice"}""")));
    }

    [Theory]
    [InlineData("Zoë O'Brien-Smith", "Zoë O'Brien-Smith")]
    [InlineData("ops.oncall@example", "ops.oncall@example")]
    [InlineData("", "")]
    public async Task A_name_of_letters_digits_spaces_and_a_few_marks_is_taken(string typed, string recorded) =>
        Assert.Equal(recorded, ActionRequester.Name(await BodyAsync($$"""{"Operator":"{{typed}}"}""")));

    [Theory]
    [InlineData("""{"Operator":"alice\nINFO forged log line"}""", "Invalid value for Operator: '\\u000a' is not allowed")]
    [InlineData("""{"Operator":"alice, page from 10.9.9.9"}""", "Invalid value for Operator: ',' is not allowed")]
    [InlineData("""{"Operator":"<script>"}""", "Invalid value for Operator: '<' is not allowed")]
    [InlineData("""{"Operator":42}""", "Invalid value for Operator: expected a string")]
    public async Task A_name_with_other_characters_is_refused_naming_the_field(string json, string error)
    {
        var body = await BodyAsync(json);

        var refused = Assert.Throws<QueryParameterException>(() => ActionRequester.Name(body));

        Assert.StartsWith(error, refused.Message);
    }

    [Fact]
    public async Task A_name_longer_than_the_limit_is_refused_naming_the_field_and_the_limit()
    {
        var body = await BodyAsync($$"""{"Operator":"{{new string('a', ActionRequester.MaxNameLength + 1)}}"}""");

        var refused = Assert.Throws<QueryParameterException>(() => ActionRequester.Name(body));

        Assert.Equal("Invalid value for Operator: 65 characters, at most 64", refused.Message);
        Assert.Equal(new string('a', 64), ActionRequester.Name(await BodyAsync($$"""{"Operator":"{{new string('a', 64)}}"}""")));
    }
}
