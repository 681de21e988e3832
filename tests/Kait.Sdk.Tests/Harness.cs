using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kait.Sdk.Tests;

/// <summary>A gateway built the way an app builds it (AddKaitSdk), over an injected environment: no process state.</summary>
internal sealed class Harness : IDisposable
{
    private readonly ServiceProvider provider;

    private Harness(ServiceProvider provider, CapturingLoggerProvider logs, string workingDirectory)
    {
        this.provider = provider;
        Logs = logs;
        WorkingDirectory = workingDirectory;
    }

    public CapturingLoggerProvider Logs { get; }

    public string WorkingDirectory { get; }

    public LlmGateway Gateway => provider.GetRequiredService<LlmGateway>();

    public LiteLlmProxyClient Proxy => provider.GetRequiredService<LiteLlmProxyClient>();

    public T Get<T>()
        where T : notnull => provider.GetRequiredService<T>();

    /// <summary>A harness over <paramref name="env"/> (KAIT_HOME defaults to an empty temp folder so the machine's
    /// ~/.kait never leaks in) and an optional <c>Kait</c> configuration section.</summary>
    public static Harness Create(IDictionary<string, string?> env, IDictionary<string, string?>? config = null, string? workingDirectory = null, TimeProvider? time = null, Action<IServiceCollection>? configure = null)
    {
        workingDirectory ??= TempDirectory.Create();
        var variables = new Dictionary<string, string?>(env, StringComparer.Ordinal);
        variables.TryAdd("KAIT_HOME", Path.Combine(workingDirectory, "kait-home"));
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddSingleton(new KaitEnvironment(name => variables.GetValueOrDefault(name), workingDirectory));
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(config ?? new Dictionary<string, string?>()).Build();
        services.AddKaitSdk(configuration);
        configure?.Invoke(services);
        return new Harness(services.BuildServiceProvider(), logs, workingDirectory);
    }

    /// <summary>Every ledger row booked so far (the tracker flushed first), oldest first.</summary>
    public async Task<IReadOnlyList<Kait.Sdk.Costs.LlmCallRecord>> RowsAsync()
    {
        await Get<Kait.Sdk.Costs.ILlmCostTracker>().FlushAsync();
        var rows = await Get<Kait.Sdk.Costs.ICostLedger>().GetCallsAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue.AddDays(-1), 10_000);
        return rows.OrderBy(r => r.TimestampUtc).ToArray();
    }

    public void Dispose() => provider.Dispose();
}

/// <summary>Fresh temp folders, removed at process exit is not needed: the OS temp is enough for tests.</summary>
internal static class TempDirectory
{
    public static string Create()
    {
        var path = Path.Combine(Path.GetTempPath(), "kait-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}

/// <summary>Keeps every log line, formatted, with its category.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string Category, LogLevel Level, string Message)> entries = new();

    public IReadOnlyList<(string Category, LogLevel Level, string Message)> Entries => entries.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<(string, LogLevel, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            entries.Enqueue((category, logLevel, formatter(state, exception) + (exception is null ? string.Empty : " " + exception)));
        }
    }
}

/// <summary>Paths of the shared reference data, found from the repo root (the folder holding Kait.Sdk.sln).</summary>
internal static class SharedFiles
{
    public static string Path(string relative) => System.IO.Path.GetFullPath(System.IO.Path.Combine(RepoRoot(), "..", "shared", relative));

    public static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Kait.Sdk.sln")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new InvalidOperationException("Kait.Sdk.sln not found above " + AppContext.BaseDirectory);
        }

        return directory.FullName;
    }
}
