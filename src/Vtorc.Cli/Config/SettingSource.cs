namespace Vtorc.Cli.Config;

/// <summary>Where a setting's value in force came from (shown by <c>/api/config?sources=true</c>).</summary>
internal static class SettingSource
{
    public const string Default = "default";
    public const string Flag = "flag";
    public const string ConfigFile = "config file";
}
