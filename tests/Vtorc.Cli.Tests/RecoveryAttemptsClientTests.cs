using Vtorc.Cli.Local;

namespace Vtorc.Cli.Tests;

public sealed class RecoveryAttemptsClientTests
{
    [Fact]
    public void Parses_the_latest_attempt_of_each_problem()
    {
        const string body = """
            [
             {"TabletAlias": "zone1-0000000101", "Analysis": "DeadPrimary", "Outcome": "Skipped", "Reason": "RecoveryPeriodBlock",
              "RecoveryName": "RecoverDeadPrimary", "Message": "blocking …", "At": "2026-11-22T10:00:00Z", "RecoveryId": 0}
            ]
            """;

        var attempts = RecoveryAttemptsClient.Parse(body);

        var attempt = Assert.Single(attempts);
        Assert.Equal(("zone1-0000000101", "DeadPrimary"), attempt.Key);
        Assert.Equal(new RecoveryAttemptsClient.Attempt("Skipped", "RecoveryPeriodBlock", "blocking …"), attempt.Value);
    }

    [Fact]
    public void Anything_but_an_array_means_no_attempts() => Assert.Empty(RecoveryAttemptsClient.Parse("null"));
}
