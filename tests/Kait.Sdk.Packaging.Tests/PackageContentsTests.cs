using System.IO.Compression;
using System.Xml.Linq;

namespace Kait.Sdk.Packaging.Tests;

/// <summary>Heavy dependencies come only with the package that needs them: Kait.Sdk alone brings no Redis client, no
/// hosting and no health checks.</summary>
[Collection(PackedFeedGroup.Name)]
public sealed class PackageContentsTests
{
    private readonly PackedFeed feed;

    public PackageContentsTests(PackedFeed feed) => this.feed = feed;

    [Theory]
    [InlineData("Kait.Sdk", "Microsoft.Data.Sqlite", "Microsoft.Extensions.Caching.StackExchangeRedis|Microsoft.Extensions.Hosting.Abstractions|Microsoft.Extensions.Diagnostics.HealthChecks.Abstractions|Microsoft.AspNetCore.App")]
    [InlineData("Kait.Sdk.Redis", "Kait.Sdk|Microsoft.Extensions.Caching.StackExchangeRedis", "Microsoft.Extensions.Hosting.Abstractions")]
    [InlineData("Kait.Sdk.Hosting", "Kait.Sdk|Microsoft.Extensions.Hosting.Abstractions|Microsoft.Extensions.Diagnostics.HealthChecks.Abstractions", "Microsoft.Extensions.Caching.StackExchangeRedis")]
    [InlineData("Kait.Sdk.Testing", "", "Kait.Sdk")]
    public void Each_package_brings_its_own_dependencies_and_not_the_others(string id, string present, string absent)
    {
        var dependencies = Dependencies(id);
        foreach (var name in present.Split('|', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.Contains(name, dependencies);
        }

        foreach (var name in absent.Split('|', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.DoesNotContain(name, dependencies);
        }
    }

    [Fact]
    public void Kait_Sdk_Testing_packs_its_assembly_and_docs()
    {
        using var zip = ZipFile.OpenRead(Path.Combine(feed.Feed, $"Kait.Sdk.Testing.{feed.Version}.nupkg"));
        var names = zip.Entries.Select(e => e.FullName).ToArray();
        Assert.Contains("lib/net10.0/Kait.Sdk.Testing.dll", names);
        Assert.Contains("lib/net10.0/Kait.Sdk.Testing.xml", names);
    }

    private string[] Dependencies(string id)
    {
        using var zip = ZipFile.OpenRead(Path.Combine(feed.Feed, $"{id}.{feed.Version}.nupkg"));
        var nuspec = XDocument.Load(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        return nuspec.Descendants()
            .Where(e => e.Name.LocalName is "dependency" or "frameworkReference")
            .Select(e => (string)(e.Attribute("id") ?? e.Attribute("name"))!)
            .ToArray();
    }
}
