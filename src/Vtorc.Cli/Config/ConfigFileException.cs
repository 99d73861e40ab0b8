namespace Vtorc.Cli.Config;

/// <summary>A config file that cannot be used; the message names the file and what was wrong.</summary>
internal sealed class ConfigFileException : Exception
{
    public ConfigFileException(string message) : base(message)
    {
    }

    public ConfigFileException(string message, Exception inner) : base(message, inner)
    {
    }

    public ConfigFileException()
    {
    }
}
