using Vtorc.Agent.MySql;

namespace Vtorc.Agent.Tests.MySql;

public sealed class MySqlFlavorTests
{
    [Theory]
    [InlineData("8.0.36", "MySQL Community Server - GPL", MySqlServerKind.MySql, "8.0.36", "MySQL 8.0")]
    [InlineData("8.0.40-log", "MySQL Community Server - GPL", MySqlServerKind.MySql, "8.0.40", "MySQL 8.0")]
    [InlineData("8.4.3", "MySQL Community Server - GPL", MySqlServerKind.MySql, "8.4.3", "MySQL 8.4")]
    [InlineData("9.1.0-commercial", "MySQL Enterprise Server - Commercial", MySqlServerKind.MySql, "9.1.0", "MySQL 9.1")]
    [InlineData("8.0.36-28", "Percona Server (GPL), Release 28, Revision 47601f19", MySqlServerKind.Percona, "8.0.36", "Percona 8.0")]
    [InlineData("10.11.19-MariaDB-0+deb12u1-log", "Debian 12", MySqlServerKind.MariaDb, "10.11.19", "MariaDB 10.11")]
    [InlineData("5.5.5-10.6.12-MariaDB", "mariadb.org binary distribution", MySqlServerKind.MariaDb, "10.6.12", "MariaDB 10.6")]
    [InlineData("11.4.2-MariaDB", "", MySqlServerKind.MariaDb, "11.4.2", "MariaDB 11.4")]
    [InlineData("8.0", "", MySqlServerKind.MySql, "8.0.0", "MySQL 8.0")]
    public void Parses_product_and_normalised_version(string version, string comment, MySqlServerKind kind, string normalised, string family)
    {
        var flavor = MySqlFlavor.Parse(version, comment);

        Assert.Equal(kind, flavor.Kind);
        Assert.Equal(normalised, flavor.Version);
        Assert.Equal(family, flavor.Family);
        Assert.Equal(version, flavor.RawVersion);
        Assert.Equal(comment, flavor.VersionComment);
    }

    [Theory]
    [InlineData("8.0.36", "MySQL56")]
    [InlineData("10.11.19-MariaDB", "MariaDB")]
    public void Position_flavor_follows_the_product(string version, string positionFlavor)
    {
        Assert.Equal(positionFlavor, MySqlFlavor.Parse(version, "").PositionFlavor);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("8")]
    [InlineData("v8.0.1")]
    public void A_version_without_major_and_minor_is_rejected_quoting_it(string version)
    {
        var error = Assert.Throws<FormatException>(() => MySqlFlavor.Parse(version, "comment"));

        Assert.Contains($"\"{version}\"", error.Message, StringComparison.Ordinal);
    }
}
