using Vtorc.Orchestrator.Http;

namespace Vtorc.Orchestrator.Tests.Http;

public sealed class GoJsonSerializerTests
{
    private sealed record Sample(string Text, DateTimeOffset At, int[] Numbers);

    [Fact]
    public void Indents_with_one_space_and_escapes_html_characters_like_go()
    {
        var json = GoJsonSerializer.Serialize(new Sample("<a href='x'>&</a> é", new DateTimeOffset(2024, 5, 6, 7, 8, 9, 500, TimeSpan.Zero), [1]));

        Assert.Equal("{\n \"Text\": \"\\u003ca href='x'\\u003e\\u0026\\u003c/a\\u003e é\",\n \"At\": \"2024-05-06T07:08:09.5Z\",\n \"Numbers\": [\n  1\n ]\n}", json);
    }

    [Fact]
    public void Control_characters_DEL_and_characters_outside_the_BMP_come_out_as_Go_writes_them()
    {
        var at = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
        Assert.Contains("\"Text\": \"" + HostileText.AsGo + "\",", GoJsonSerializer.Serialize(new Sample(HostileText.Raw, at, [])));
        Assert.Contains("\t\"Text\": \"" + HostileText.AsGo + "\",", GoJsonSerializer.SerializeTabIndented(new Sample(HostileText.Raw, at, [])));
    }

    [Fact]
    public void Tab_indented_form_uses_tabs()
    {
        var json = GoJsonSerializer.SerializeTabIndented(new SortedDictionary<string, object> { ["a"] = 1L, ["b"] = true });

        Assert.Equal("{\n\t\"a\": 1,\n\t\"b\": true\n}", json);
    }
}
