using System.Globalization;

namespace Kait.Sdk.Hosting;

/// <summary>
/// Settings of the supervised LiteLLM proxy, derived from Kait's one settings model by <see cref="From"/> (what
/// <c>AddLiteLlmProxy()</c> and <c>kait proxy</c> use); every property can also be set in code (tests replace
/// <see cref="Executable"/> and <see cref="Arguments"/> with a stand-in).
/// </summary>
public sealed record LiteLlmProxyOptions
{
    private KaitPaths paths = new(KaitPaths.DefaultHome);

    /// <summary>Whether the proxy is started at all (<c>KAIT_LITELLM_ENABLED=true</c>). Default <see langword="false"/>.</summary>
    public bool Enabled { get; set; }

    /// <summary>The port the proxy serves (<c>KAIT_LITELLM_PORT</c>, default 4000).</summary>
    public int Port { get; set; } = KaitProxyOptions.DefaultPort;

    /// <summary>The host that health probes call. Default <c>127.0.0.1</c>.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The proxy's master key (<c>KAIT_LITELLM_MASTER_KEY</c>), passed to it as <c>LITELLM_MASTER_KEY</c>. Never logged.</summary>
    public string? MasterKey { get; set; }

    /// <summary>Kait's home folder (<c>KAIT_HOME</c>, default <c>~/.kait</c>): logs, run records and the venv live there.
    /// Made absolute, with a leading <c>~</c> expanded, when set.</summary>
    public string KaitHome
    {
        get => paths.Home;
        set => paths = new KaitPaths(value);
    }

    /// <summary>The proxy config (<c>KAIT_CONFIG</c>, else <c>config/litellm_config.yaml</c> in the working directory, else <c>$KAIT_HOME/litellm_config.yaml</c>).</summary>
    public string ConfigPath { get; set; } = "config/litellm_config.yaml";

    /// <summary>The Python interpreter (<c>KAIT_PYTHON</c>, else <c>$KAIT_HOME/venv/bin/python</c> when present, else <c>python3</c>).</summary>
    public string PythonExecutable { get; set; } = "python3";

    /// <summary>Overrides the program to run; <see langword="null"/> runs <see cref="PythonExecutable"/>.</summary>
    public string? Executable { get; set; }

    /// <summary>Overrides the arguments; <see langword="null"/> passes <c>-m litellm --config &lt;ConfigPath&gt; --port &lt;Port&gt;</c>.</summary>
    public IReadOnlyList<string>? Arguments { get; set; }

    /// <summary>Extra variables for the proxy's environment (it inherits this process's environment too). A <see langword="null"/> value removes a variable.</summary>
    public IDictionary<string, string?> EnvironmentVariables { get; init; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>Lays <see cref="EnvironmentVariables"/> over a process's start info (a null value removes the variable).</summary>
    internal void ApplyEnvironmentVariables(System.Diagnostics.ProcessStartInfo info)
    {
        foreach (var (name, value) in EnvironmentVariables)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }
    }

    /// <summary>The defaults of the settings that <see cref="From"/> takes from <see cref="KaitSupervisorOptions"/>: one
    /// definition of each.</summary>
    private static readonly KaitSupervisorOptions SupervisorDefaults = new();

    /// <summary>How long a start may take until <c>/health/readiness</c> answers. Default 60 s.</summary>
    public TimeSpan ReadinessTimeout { get; set; } = SupervisorDefaults.ReadinessTimeout;

    /// <summary>The pause between two health polls while waiting. Default 250 ms.</summary>
    public TimeSpan HealthPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long one health request may take. Default 2 s.</summary>
    public TimeSpan HealthRequestTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a stop waits after SIGTERM before it kills. Default 10 s.</summary>
    public TimeSpan StopGracePeriod { get; set; } = SupervisorDefaults.StopGracePeriod;

    /// <summary>The first pause before a restart after a crash; it doubles per restart in the window. Default 1 s.</summary>
    public TimeSpan RestartInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest pause before a restart. Default 30 s.</summary>
    public TimeSpan RestartMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>At most this many restarts within <see cref="RestartWindow"/>; one more crash gives up. Default 5.</summary>
    public int MaxRestartsInWindow { get; set; } = SupervisorDefaults.MaxRestartsInWindow;

    /// <summary>The window over which restarts are counted. Default 10 minutes.</summary>
    public TimeSpan RestartWindow { get; set; } = SupervisorDefaults.RestartWindow;

    /// <summary>The log's size at which it is rotated. Default 10 MB.</summary>
    public long LogMaxBytes { get; set; } = SupervisorDefaults.LogMaxBytes;

    /// <summary>How many rotated logs are kept (<c>litellm.log.1</c> … <c>.N</c>). Default 3.</summary>
    public int LogBackupCount { get; set; } = SupervisorDefaults.LogBackupCount;

    /// <summary>How many log lines failure messages quote. Default 20.</summary>
    public int FailureLogLines { get; set; } = 20;

    /// <summary>The proxy's log: <see cref="KaitPaths.ProxyLogFile"/> (<c>$KAIT_HOME/logs/litellm.log</c>).</summary>
    public string LogFilePath => paths.ProxyLogFile;

    /// <summary>The record of a detached proxy: <see cref="KaitPaths.RunRecordFile"/> (<c>$KAIT_HOME/run/litellm.json</c>).</summary>
    public string RunRecordPath => paths.RunRecordFile;

    /// <summary>The proxy's base address, e.g. <c>http://127.0.0.1:4000/</c>.</summary>
    public Uri BaseAddress => new($"http://{Host}:{Port.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>The program that is started.</summary>
    public string GetEffectiveExecutable() => Executable ?? PythonExecutable;

    /// <summary>The arguments that are passed (never the key).</summary>
    public IReadOnlyList<string> GetEffectiveArguments() =>
        Arguments ?? ["-m", "litellm", "--config", ConfigPath, "--port", Port.ToString(CultureInfo.InvariantCulture)];

    /// <summary>The settings for a log line, with the master key masked.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"LiteLlmProxyOptions {{ Enabled = {Enabled}, Port = {Port}, Host = {Host}, MasterKey = {(string.IsNullOrEmpty(MasterKey) ? "(none)" : "***")}, KaitHome = {KaitHome}, ConfigPath = {ConfigPath}, Command = {GetEffectiveExecutable()} {string.Join(' ', GetEffectiveArguments())} }}");

    /// <summary>
    /// The supervisor's settings from Kait's settings: <see cref="KaitProxyOptions.Enabled"/>, the port (that of
    /// <see cref="KaitProxyOptions.Url"/> when it names this machine; a proxy elsewhere is not started here), the master key,
    /// the config (<see cref="KaitPaths.ConfigFile"/>, else <see cref="KaitPaths.FindConfigFile"/>, else
    /// <see cref="KaitPaths.ConfigFallback"/>), the interpreter
    /// (<see cref="KaitSupervisorOptions.Python"/>, else <see cref="KaitPaths.VenvPython"/> when it exists, else
    /// <c>python3</c>), the files under <see cref="KaitPaths.Home"/> and the <see cref="KaitOptions.Supervisor"/> limits.
    /// </summary>
    /// <param name="settings">Kait's settings (<see cref="KaitOptionsLoader.Load"/>).</param>
    /// <param name="paths">Their paths (<see cref="KaitPaths.From"/>).</param>
    public static LiteLlmProxyOptions From(KaitOptions settings, KaitPaths paths)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(paths);
        var proxy = settings.Proxy;
        var supervisor = settings.Supervisor;
        var local = true;
        var port = proxy.Port;
        if (!string.IsNullOrWhiteSpace(proxy.Url))
        {
            var url = proxy.BaseUrl;
            local = url.IsLoopback;
            port = url.Port;
        }

        var python = supervisor.Python;
        if (python is not null && (python.Contains('/', StringComparison.Ordinal) || python.Contains('\\', StringComparison.Ordinal) || python.StartsWith('~')))
        {
            python = paths.Resolve(python);
        }

        return new LiteLlmProxyOptions
        {
            paths = paths,
            Enabled = proxy.Enabled && local,
            Port = port,
            MasterKey = string.IsNullOrEmpty(proxy.MasterKey) ? null : proxy.MasterKey,
            // A KAIT_CONFIG that names a missing file is passed on as it is: the proxy's own error lands in its log, and
            // `kait proxy stop|status|logs` keep working (the detached supervisor is started with KAIT_CONFIG set to this).
            ConfigPath = paths.ConfigFile ?? paths.FindConfigFile() ?? paths.ConfigFallback,
            PythonExecutable = python ?? (File.Exists(paths.VenvPython) ? paths.VenvPython : "python3"),
            ReadinessTimeout = supervisor.ReadinessTimeout,
            StopGracePeriod = supervisor.StopGracePeriod,
            MaxRestartsInWindow = supervisor.MaxRestartsInWindow,
            RestartWindow = supervisor.RestartWindow,
            LogMaxBytes = supervisor.LogMaxBytes,
            LogBackupCount = supervisor.LogBackupCount,
        };
    }
}
