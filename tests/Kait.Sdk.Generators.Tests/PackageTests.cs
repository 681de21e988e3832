using System.Diagnostics;
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace Kait.Sdk.Generators.Tests;

/// <summary>The nupkg users get: its files, analyzer references the compiler can load, and a throwaway consumer built
/// against it from a local feed that gets its own typed <c>Models</c> (and CS0117 for a typo).</summary>
public sealed class PackageTests : IClassFixture<PackageTests.PackedPackage>
{
    private readonly PackedPackage package;

    public PackageTests(PackedPackage package) => this.package = package;

    [Fact]
    public void The_package_holds_the_runtime_the_generator_beside_its_dependencies_and_the_props()
    {
        using var zip = ZipFile.OpenRead(package.Path);
        var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("lib/net10.0/Kait.Sdk.dll", names);
        Assert.Contains("lib/net10.0/Kait.Sdk.Config.dll", names);
        Assert.Contains("analyzers/dotnet/cs/Kait.Sdk.Generators.dll", names);
        Assert.Contains("analyzers/dotnet/cs/Kait.Sdk.Config.dll", names);
        Assert.Contains("analyzers/dotnet/cs/YamlDotNet.dll", names);
        Assert.Contains("analyzers/dotnet/cs/Kait.Sdk.CodeFixes.dll", names);
        Assert.Contains("buildTransitive/Kait.Sdk.props", names);
        Assert.DoesNotContain(names, n => n.StartsWith("lib/", StringComparison.Ordinal) && n.Contains("Generators", StringComparison.Ordinal));

        var nuspec = XDocument.Load(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        var dependencies = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string)e.Attribute("id")!).ToArray();
        Assert.Contains("YamlDotNet", dependencies);
        Assert.DoesNotContain("Kait.Sdk.Config", dependencies);
        Assert.DoesNotContain(dependencies, d => d.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_analyzer_reference_is_beside_it_or_provided_by_the_compiler()
    {
        using var zip = ZipFile.OpenRead(package.Path);
        var analyzers = zip.Entries.Where(e => e.FullName.StartsWith("analyzers/dotnet/cs/", StringComparison.Ordinal) && e.Name.EndsWith(".dll", StringComparison.Ordinal)).ToArray();
        var shipped = analyzers.Select(e => Path.GetFileNameWithoutExtension(e.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in analyzers)
        {
            using var memory = new MemoryStream();
            using (var s = entry.Open())
            {
                s.CopyTo(memory);
            }

            memory.Position = 0;
            using var pe = new PEReader(memory);
            var reader = pe.GetMetadataReader();
            foreach (var handle in reader.AssemblyReferences)
            {
                var reference = reader.GetAssemblyReference(handle);
                var name = reader.GetString(reference.Name);
                if (name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal))
                {
                    // The SDK's compiler is Roslyn 5.9: anything newer than 4.14 would not load (CS9057).
                    Assert.True(reference.Version <= new Version(4, 14, 0, 0), $"{entry.Name} references {name} {reference.Version}");
                    continue;
                }

                Assert.True(
                    shipped.Contains(name) || name is "netstandard" or "mscorlib" || name.StartsWith("System.", StringComparison.Ordinal),
                    $"{entry.Name} references {name}, which is neither shipped beside it nor provided by the compiler");
            }
        }
    }

    [Fact]
    public void A_consumer_of_the_nupkg_gets_its_own_Models_and_typos_fail_its_build_at_their_line()
    {
        var dir = Directory.CreateTempSubdirectory("kait-consumer-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "NuGet.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{package.Feed}" />
                    <add key="warm" value="{package.WarmCache}" />
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
                  </packageSources>
                </configuration>
                """);
            File.WriteAllText(Path.Combine(dir, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <RootNamespace>Acme.Bot</RootNamespace>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Kait.Sdk" Version="{package.Version}" />
                  </ItemGroup>
                </Project>
                """);
            Directory.CreateDirectory(Path.Combine(dir, "config"));
            File.WriteAllText(Path.Combine(dir, "config", "litellm_config.yaml"), """
                model_list:
                  - model_name: acme-writer
                    litellm_params:
                      model: anthropic/claude-sonnet-4-20250514
                      api_key: os.environ/ACME_ANTHROPIC_KEY
                  - model_name: acme-cheap
                    litellm_params:
                      model: openai/gpt-4o-mini
                      api_key: os.environ/OPENAI_API_KEY
                """);
            File.WriteAllText(Path.Combine(dir, "Program.cs"), """
                using Acme.Bot;
                Console.WriteLine($"{(string)Models.AcmeWriter}|{Models.AcmeWriter.Deployments[0].ApiKeyVariable}|{Models.All.Count}|{new Kait.Sdk.ModelCatalog().Resolve(Models.Names.AcmeCheap).Deployments[0].Model}");
                """);

            var run = Dotnet(dir, "run", "--configuration", "Release");
            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("acme-writer|ACME_ANTHROPIC_KEY|2|openai/gpt-4o-mini", run.Output, StringComparison.Ordinal);

            File.WriteAllText(Path.Combine(dir, "Program.cs"), "using Acme.Bot;\n\nConsole.WriteLine(Models.AcmeWriterr);\n");
            var build = Dotnet(dir, "build", "--configuration", "Release", "--no-restore");
            Assert.NotEqual(0, build.ExitCode);
            Assert.Contains("Program.cs(3,", build.Output, StringComparison.Ordinal);
            Assert.Contains("CS0117", build.Output, StringComparison.Ordinal);

            // A string typo in a Kait API fails the build too (KAIT100 from the analyzer shipped beside the generator).
            File.WriteAllText(Path.Combine(dir, "Program.cs"), "using Acme.Bot;\n\nvar alias = new Kait.Sdk.ModelCatalog().Resolve(\"acme-writr\");\nConsole.WriteLine(alias);\n");
            var analyzed = Dotnet(dir, "build", "--configuration", "Release", "--no-restore");
            Assert.NotEqual(0, analyzed.ExitCode);
            Assert.Contains("Program.cs(3,49): error KAIT100: Unknown model alias 'acme-writr'. Did you mean 'acme-writer'?", analyzed.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    internal static (int ExitCode, string Output) Dotnet(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // dotnet test leaks MSBuild state into child builds; a consumer build must start clean.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("MSBuild", StringComparison.Ordinal)).ToArray())
        {
            info.Environment.Remove(key);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["NUGET_PACKAGES"] = PackedPackage.PrivatePackages;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out: dotnet " + string.Join(' ', args));
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Packs Kait.Sdk once, with a version unique to this run, into a private folder feed.</summary>
    public sealed class PackedPackage : IDisposable
    {
        public static readonly string PrivatePackages = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kait-test-nuget-packages");

        private readonly string root = Directory.CreateTempSubdirectory("kait-pack-").FullName;

        public PackedPackage()
        {
            Version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
            Feed = System.IO.Path.Combine(root, "feed");
#if DEBUG
            const string configuration = "Debug";
#else
            const string configuration = "Release";
#endif
            // The test build already built every project; pack what it built, with a version of its own.
            var pack = Dotnet(TestPaths.RepoRoot, "pack", System.IO.Path.Combine("src", "Kait.Sdk", "Kait.Sdk.csproj"), "--no-build", "--configuration", configuration, "--output", Feed, "-p:PackageVersion=" + Version);
            Assert.True(pack.ExitCode == 0, pack.Output);
            Path = System.IO.Path.Combine(Feed, $"Kait.Sdk.{Version}.nupkg");
        }

        public string Version { get; }

        public string Feed { get; }

        public string Path { get; }

        /// <summary>The machine's package cache, offered as a read-only source so the consumer restores offline when it can.</summary>
        public string WarmCache => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

        public void Dispose()
        {
            Directory.Delete(root, recursive: true);
            var cached = System.IO.Path.Combine(PrivatePackages, "kait.sdk", Version);
            if (Directory.Exists(cached))
            {
                Directory.Delete(cached, recursive: true);
            }
        }
    }
}
