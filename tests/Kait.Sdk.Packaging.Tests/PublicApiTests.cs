using System.IO.Compression;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Kait.Sdk.Packaging.Tests;

/// <summary>
/// The public surface of the packed assemblies is exactly what their PublicAPI files declare (every public type, no
/// more, none missing), the config model is no public API, and the release tracking agrees that nothing has shipped:
/// PublicAPI.Shipped.txt holds no API and AnalyzerReleases.Shipped.md no release. A public type added without its line,
/// or a line whose type went internal, fails here even if the analyzer were silenced.
/// </summary>
[Collection(PackedFeedGroup.Name)]
public sealed class PublicApiTests
{
    private readonly PackedFeed feed;

    public PublicApiTests(PackedFeed feed) => this.feed = feed;

    [Theory]
    [InlineData("Kait.Sdk", "Kait.Sdk", "src/Kait.Sdk")]
    [InlineData("Kait.Sdk", "Kait.Sdk.Config", "generators/Kait.Sdk.Config")]
    [InlineData("Kait.Sdk.Redis", "Kait.Sdk.Redis", "src/Kait.Sdk.Redis")]
    [InlineData("Kait.Sdk.Hosting", "Kait.Sdk.Hosting", "src/Kait.Sdk.Hosting")]
    public void The_public_types_of_each_packed_assembly_are_exactly_the_declared_ones(string package, string assembly, string project)
    {
        var declared = DeclaredTypes(Path.Combine(PackedFeed.RepoRoot, project));
        var actual = PublicTypes(package, assembly);

        Assert.Equal(declared.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_config_model_is_not_public_API()
    {
        Assert.Empty(PublicTypes("Kait.Sdk", "Kait.Sdk.Config"));
    }

    [Theory]
    [InlineData("src/Kait.Sdk")]
    [InlineData("src/Kait.Sdk.Redis")]
    [InlineData("src/Kait.Sdk.Hosting")]
    [InlineData("generators/Kait.Sdk.Config")]
    public void Nothing_is_declared_shipped_before_a_release(string project)
    {
        var shipped = File.ReadAllLines(Path.Combine(PackedFeed.RepoRoot, project, "PublicAPI.Shipped.txt"));
        Assert.Equal(["#nullable enable"], shipped.Where(l => l.Length > 0));
        var releases = File.ReadAllText(Path.Combine(PackedFeed.RepoRoot, "generators", "Kait.Sdk.Generators", "AnalyzerReleases.Shipped.md"));
        Assert.DoesNotContain("## Release", releases, StringComparison.Ordinal);
    }

    private static HashSet<string> DeclaredTypes(string project)
    {
        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" })
        {
            foreach (var raw in File.ReadAllLines(Path.Combine(project, file)))
            {
                var line = raw.TrimStart('~').Trim();
                if (line.Length == 0 || line.StartsWith('#') || line.Contains('(', StringComparison.Ordinal) || line.Contains("->", StringComparison.Ordinal) || line.Contains(' ', StringComparison.Ordinal))
                {
                    continue;
                }

                types.Add(line);
            }
        }

        return types;
    }

    private HashSet<string> PublicTypes(string package, string assembly)
    {
        using var zip = ZipFile.OpenRead(Path.Combine(feed.Feed, $"{package}.{feed.Version}.nupkg"));
        var entry = zip.GetEntry($"lib/net10.0/{assembly}.dll") ?? zip.GetEntry($"lib/netstandard2.0/{assembly}.dll")
            ?? throw new InvalidOperationException($"{assembly}.dll is not in {package}'s lib/");
        using var memory = new MemoryStream();
        using (var stream = entry.Open())
        {
            stream.CopyTo(memory);
        }

        memory.Position = 0;
        using var pe = new PEReader(memory);
        var reader = pe.GetMetadataReader();
        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in reader.TypeDefinitions)
        {
            if (Visible(reader, handle) is { } name)
            {
                types.Add(name);
            }
        }

        return types;
    }

    /// <summary>The full name of a type visible outside its assembly (public, or public nested in such a type), else null.</summary>
    private static string? Visible(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        var visibility = type.Attributes & TypeAttributes.VisibilityMask;
        var name = reader.GetString(type.Name);
        var arity = name.IndexOf('`', StringComparison.Ordinal);
        if (arity >= 0)
        {
            name = name[..arity]; // PublicAPI writes generics as Name<T>: none of Kait's public types is generic
        }

        if (visibility == TypeAttributes.Public)
        {
            var ns = reader.GetString(type.Namespace);
            return ns.Length == 0 ? name : ns + "." + name;
        }

        if (visibility is TypeAttributes.NestedPublic or TypeAttributes.NestedFamily or TypeAttributes.NestedFamORAssem)
        {
            return Visible(reader, type.GetDeclaringType()) is { } outer ? outer + "." + name : null;
        }

        return null;
    }
}
