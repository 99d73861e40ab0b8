using Vtorc.LocalCluster;

namespace Vtorc.Cli.Tests;

/// <summary>How the local-cluster fixture finds the vtorc program it runs agents with.</summary>
public sealed class VtorcExecutableTests
{
    [Fact]
    public void Vtorc_dll_next_to_the_test_assembly_is_found_and_run_with_dotnet_exec()
    {
        var executable = VtorcExecutable.Locate(null, AppContext.BaseDirectory, "/usr/share/dotnet/dotnet");

        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "vtorc.dll"), executable.Path);
        var start = executable.StartInfo(["tablet", "--cell", "zone1"]);
        Assert.Equal("/usr/share/dotnet/dotnet", start.FileName);
        Assert.Equal(["exec", executable.Path, "tablet", "--cell", "zone1"], start.ArgumentList);
    }

    [Fact]
    public void A_host_that_is_not_dotnet_falls_back_to_dotnet_from_the_path()
    {
        var executable = VtorcExecutable.Locate(null, AppContext.BaseDirectory, "/opt/tests/testhost");

        Assert.Equal("dotnet", executable.StartInfo([]).FileName);
    }

    [Fact]
    public void An_apphost_named_in_the_environment_variable_is_run_directly()
    {
        var apphost = Path.Combine(Path.GetTempPath(), "vtorc-apphost-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(apphost, "");
        try
        {
            var executable = VtorcExecutable.Locate(apphost, "/nonexistent", null);

            var start = executable.StartInfo(["tablet"]);
            Assert.Equal(apphost, start.FileName);
            Assert.Equal(["tablet"], start.ArgumentList);
        }
        finally
        {
            File.Delete(apphost);
        }
    }

    [Fact]
    public void A_missing_file_named_in_the_environment_variable_is_quoted_in_the_error()
    {
        var missing = Path.Combine(Path.GetTempPath(), "vtorc-missing-" + Guid.NewGuid().ToString("N") + ".dll");

        var error = Assert.Throws<FileNotFoundException>(() => VtorcExecutable.Locate(missing, AppContext.BaseDirectory, null));

        Assert.Contains(VtorcExecutable.EnvironmentVariable, error.Message);
        Assert.Contains($"\"{missing}\"", error.Message);
    }

    [Fact]
    public void Nothing_found_names_the_variable_and_the_path_looked_at()
    {
        var empty = Directory.CreateTempSubdirectory("vtorc-no-program-");
        try
        {
            var error = Assert.Throws<FileNotFoundException>(() => VtorcExecutable.Locate(null, empty.FullName, null));

            Assert.Contains(VtorcExecutable.EnvironmentVariable, error.Message);
            Assert.Contains(Path.Combine(empty.FullName, "vtorc.dll"), error.Message);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }
}
