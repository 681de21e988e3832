using System.Globalization;
using System.Text.RegularExpressions;
using Kait.Sdk.Testing;
using Xunit.Abstractions;

namespace Kait.Sdk.Packaging.Tests;

/// <summary>A consumer of the packed Kait.Sdk published with <c>PublishAot=true</c>: no trim or AOT warning from a Kait
/// assembly, and its native binary answers a call through the LiteLLM route, answers the same call from the cache,
/// books both in the SQLite ledger and calls the proxy through the public Refit interface.</summary>
[Collection(PackedFeedGroup.Name)]
public sealed partial class AotConsumerTests
{
    private readonly PackedFeed feed;
    private readonly ITestOutputHelper output;

    public AotConsumerTests(PackedFeed feed, ITestOutputHelper output)
    {
        this.feed = feed;
        this.output = output;
    }

    [Fact]
    public async Task A_native_AOT_consumer_publishes_without_Kait_warnings_and_its_binary_calls_caches_and_books()
    {
        var dir = Directory.CreateTempSubdirectory("kait-aot-consumer-").FullName;
        var home = Directory.CreateTempSubdirectory("kait-aot-home-").FullName;
        try
        {
            WriteConsumer(dir, feed.Version);
            feed.WriteNuGetConfig(dir);
            var publish = PackedFeed.Run(dir, TimeSpan.FromMinutes(9), null, "dotnet", "publish", "--configuration", "Release", "--output", Path.Combine(dir, "out"), "--disable-build-servers", "-p:CppCompilerAndLinker=" + NativeCompiler());
            output.WriteLine($"publish: {publish.Elapsed.TotalSeconds:0} s");
            Assert.True(publish.ExitCode == 0, publish.Output);

            // Other packages may warn (HybridCache's default JSON serializer, never used by Kait, does): none from Kait.
            var warnings = WarningLine().Matches(publish.Output).Select(m => m.Value).Distinct(StringComparer.Ordinal).ToArray();
            foreach (var warning in warnings)
            {
                output.WriteLine("publish warning: " + warning);
            }

            Assert.DoesNotContain(warnings, w => w.Contains("Kait", StringComparison.Ordinal) && !w.Contains("/tmp/kait-aot-consumer-", StringComparison.Ordinal));
            Assert.True(publish.Output.Contains("Generating native code", StringComparison.Ordinal), publish.Output);

            var binary = Path.Combine(dir, "out", "Consumer");
            Assert.True(File.Exists(binary), "no native binary: " + string.Join(", ", Directory.GetFiles(Path.Combine(dir, "out"))));
            Assert.False(File.Exists(Path.Combine(dir, "out", "Kait.Sdk.dll")), "Kait.Sdk.dll beside the binary: the publish was not native");
            output.WriteLine($"binary: {new FileInfo(binary).Length / 1024.0 / 1024.0:0.0} MiB; beside it: {string.Join(", ", Directory.GetFiles(Path.Combine(dir, "out")).Where(f => !f.EndsWith(".dbg", StringComparison.Ordinal)).Select(f => $"{Path.GetFileName(f)} {new FileInfo(f).Length / 1024.0 / 1024.0:0.0} MiB"))}");

            await using var proxy = await FakeLiteLlmProxy.StartAsync();
            proxy.Enqueue(new FakeReply { Text = "Hello from the fake proxy", CostHeader = "0.00042", CallId = "aot-call-1" });
            var environment = CleanEnvironment(home);
            environment["KAIT_LITELLM_ENABLED"] = "true";
            environment["KAIT_LITELLM_URL"] = proxy.BaseUrl.ToString();
            var run = PackedFeed.Run(dir, TimeSpan.FromMinutes(1), environment, binary);
            output.WriteLine(run.Output);
            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("answer=Hello from the fake proxy|cached=False|cost=0.00042", run.Output, StringComparison.Ordinal);
            Assert.Contains("again=Hello from the fake proxy|cached=True", run.Output, StringComparison.Ordinal);
            Assert.Single(proxy.Requests, r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal));
            Assert.Contains("raw-readiness=200", run.Output, StringComparison.Ordinal);
            Assert.Contains("ledger=proxy|calls=2|hits=1|cost=0.00042", run.Output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(home, "llm_costs.db")), "no ledger in KAIT_HOME: " + string.Join(", ", Directory.GetFiles(home)));

            // KAIT_MEASURE_STARTUP=1: the figures of docs/packaging.md, native against JIT (a framework-dependent build of
            // the same consumer), medians of five runs each with a fresh KAIT_HOME.
            if (Environment.GetEnvironmentVariable("KAIT_MEASURE_STARTUP") == "1")
            {
                var build = PackedFeed.Run(dir, TimeSpan.FromMinutes(5), null, "dotnet", "build", "--configuration", "Release", "-p:PublishAot=false", "--output", Path.Combine(dir, "jit"), "--disable-build-servers");
                Assert.True(build.ExitCode == 0, build.Output);
                proxy.DefaultReply = new FakeReply { Text = "Hello from the fake proxy", CostHeader = "0.00042" };
                output.WriteLine($"first answer, native: {Median(dir, environment, binary)} ms; JIT: {Median(dir, environment, PackedFeed.DotnetHost, Path.Combine(dir, "jit", "Consumer.dll"))} ms");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
            Directory.Delete(home, recursive: true);
        }
    }

    private static int Median(string dir, Dictionary<string, string?> environment, string fileName, params string[] args)
    {
        var times = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            var home = Directory.CreateTempSubdirectory("kait-aot-measure-").FullName;
            try
            {
                var run = PackedFeed.Run(dir, TimeSpan.FromMinutes(1), new Dictionary<string, string?>(environment) { ["HOME"] = home, ["KAIT_HOME"] = home }, fileName, args);
                Assert.True(run.ExitCode == 0, run.Output);
                times.Add(int.Parse(Regex.Match(run.Output, "first-answer-ms=([0-9]+)").Groups[1].Value, CultureInfo.InvariantCulture));
            }
            finally
            {
                Directory.Delete(home, recursive: true);
            }
        }

        times.Sort();
        return times[times.Count / 2];
    }

    /// <summary>The consumer: its own config, the one-line registration, two identical calls and the ledger read back.
    /// It prints the time from its process start to the first answer (docs/packaging.md quotes it).</summary>
    internal static void WriteConsumer(string dir, string version)
    {
        File.WriteAllText(Path.Combine(dir, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <RootNamespace>Acme.Bot</RootNamespace>
                <PublishAot>true</PublishAot>
                <InvariantGlobalization>true</InvariantGlobalization>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Kait.Sdk" Version="{version}" />
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
            """);
        File.WriteAllText(Path.Combine(dir, "Program.cs"), """
            using System.Diagnostics;
            using System.Globalization;
            using Acme.Bot;
            using Kait.Sdk;
            using Kait.Sdk.Costs;
            using Microsoft.Extensions.Configuration;
            using Microsoft.Extensions.DependencyInjection;

            var services = new ServiceCollection().AddLogging();
            services.AddKaitSdk(new ConfigurationBuilder().Build());
            await using (var provider = services.BuildServiceProvider())
            {
                var gateway = provider.GetRequiredService<ILlmGateway>();
                var first = await gateway.ChatAsync(Models.AcmeWriter, [LlmMessage.User("hello")]);
                var elapsed = DateTime.Now - Process.GetCurrentProcess().StartTime;
                Console.WriteLine(FormattableString.Invariant($"first-answer-ms={elapsed.TotalMilliseconds:0}"));
                Console.WriteLine(FormattableString.Invariant($"answer={first.Text}|cached={first.Cached}|cost={first.CostUsd}"));
                var again = await gateway.ChatAsync(Models.AcmeWriter, [LlmMessage.User("hello")]);
                Console.WriteLine(FormattableString.Invariant($"again={again.Text}|cached={again.Cached}"));

                // The raw wire API, a typed Refit client, natively too.
                using var readiness = await provider.GetRequiredService<Kait.Sdk.Http.ILiteLlmProxyHttpApi>().ReadinessAsync();
                Console.WriteLine(FormattableString.Invariant($"raw-readiness={(int)readiness.StatusCode}"));
            }

            await using (var provider = services.BuildServiceProvider())
            {
                var now = DateTimeOffset.UtcNow;
                foreach (var row in await provider.GetRequiredService<ICostLedger>().GetTotalsAsync(CostGroupBy.Route, now.AddDays(-1), now.AddMinutes(1)))
                {
                    Console.WriteLine(FormattableString.Invariant($"ledger={row.Key}|calls={row.Calls}|hits={row.CacheHits}|cost={row.CostUsd}"));
                }
            }
            """);
    }

    /// <summary>The environment of a user with no Kait or provider settings, whose home is <paramref name="home"/>.</summary>
    internal static Dictionary<string, string?> CleanEnvironment(string home)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (name.StartsWith("KAIT_", StringComparison.Ordinal) || name.StartsWith("ANTHROPIC_", StringComparison.Ordinal)
                || name.StartsWith("OPENAI_", StringComparison.Ordinal) || name.StartsWith("LITELLM_", StringComparison.Ordinal))
            {
                environment[name] = null;
            }
        }

        environment["HOME"] = home;
        environment["KAIT_HOME"] = home;
        return environment;
    }

    /// <summary>clang on PATH (what the ILCompiler package uses by default), else a versioned one (Debian's clang-14).</summary>
    private static string NativeCompiler()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        if (path.Any(d => File.Exists(Path.Combine(d, "clang"))))
        {
            return "clang";
        }

        return path.SelectMany(d => Directory.Exists(d) ? Directory.GetFiles(d, "clang-[0-9]*") : [])
            .Select(Path.GetFileName)
            .Where(n => n is not null && Regex.IsMatch(n, "^clang-[0-9]+$"))
            .OrderByDescending(n => int.Parse(n!["clang-".Length..], CultureInfo.InvariantCulture))
            .FirstOrDefault() ?? "clang";
    }

    [GeneratedRegex(@"[^\n]*\b(?:warning|Trim analysis warning|AOT analysis warning) IL\d{4}[^\n]*")]
    private static partial Regex WarningLine();
}
