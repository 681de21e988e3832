namespace Kait.Sdk;

/// <summary>
/// Every file Kait keeps, under one root (<c>KAIT_HOME</c>, default <c>~/.kait</c>; a leading <c>~</c> is the user's
/// home, a relative root is taken from the working directory), and the LiteLLM config it reads. The ledger, the
/// response cache, the proxy's log and run record and the venv all take their paths from here.
/// </summary>
public sealed class KaitPaths
{
    /// <summary>The root used when <c>KAIT_HOME</c> is not set.</summary>
    internal const string DefaultHome = "~/.kait";

    /// <summary>Creates the paths under <paramref name="home"/>; a leading <c>~</c> is the user's home and a relative
    /// root is taken from the current directory.</summary>
    /// <param name="home">The root.</param>
    public KaitPaths(string home)
        : this(home, Directory.GetCurrentDirectory(), userHome: null, configFile: null)
    {
    }

    private KaitPaths(string home, string workingDirectory, string? userHome, string? configFile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(home);
        WorkingDirectory = Path.GetFullPath(workingDirectory);
        UserHome = string.IsNullOrWhiteSpace(userHome) ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) : userHome;
        Home = Resolve(home);
        ConfigFile = string.IsNullOrWhiteSpace(configFile) ? null : Resolve(configFile);
        LedgerFile = Path.Combine(Home, "llm_costs.db");
        CacheSaltFile = Path.Combine(Home, Caching.CacheKeys.SaltFile);
        CacheDbFile = Path.Combine(Home, Caching.SqliteDistributedCache.FileName);
        LogsDirectory = Path.Combine(Home, "logs");
        ProxyLogFile = Path.Combine(LogsDirectory, "litellm.log");
        RunDirectory = Path.Combine(Home, "run");
        RunRecordFile = Path.Combine(RunDirectory, "litellm.json");
        VenvPython = OperatingSystem.IsWindows() ? Path.Combine(Home, "venv", "Scripts", "python.exe") : Path.Combine(Home, "venv", "bin", "python");
        LocalConfigFile = Path.Combine(WorkingDirectory, "config", "litellm_config.yaml");
        ConfigFallback = Path.Combine(Home, "litellm_config.yaml");
    }

    /// <summary>The root (absolute, <c>~</c> expanded).</summary>
    public string Home { get; }

    /// <summary>The working directory: relative paths are taken from it, and <see cref="LocalConfigFile"/> is in it.</summary>
    public string WorkingDirectory { get; }

    /// <summary>The cost ledger: <c>$KAIT_HOME/llm_costs.db</c>.</summary>
    public string LedgerFile { get; }

    /// <summary>The response cache's secret salt: <c>$KAIT_HOME/cache.salt</c>.</summary>
    public string CacheSaltFile { get; }

    /// <summary>The response cache's SQLite store: <c>$KAIT_HOME/response_cache.db</c>.</summary>
    public string CacheDbFile { get; }

    /// <summary>The logs folder: <c>$KAIT_HOME/logs</c>.</summary>
    public string LogsDirectory { get; }

    /// <summary>The supervised proxy's log: <c>$KAIT_HOME/logs/litellm.log</c>.</summary>
    public string ProxyLogFile { get; }

    /// <summary>The run-record folder: <c>$KAIT_HOME/run</c>.</summary>
    public string RunDirectory { get; }

    /// <summary>The record of a proxy started by <c>kait proxy start</c>: <c>$KAIT_HOME/run/litellm.json</c>.</summary>
    public string RunRecordFile { get; }

    /// <summary>The interpreter of Kait's own venv: <c>$KAIT_HOME/venv/bin/python</c> (<c>venv\Scripts\python.exe</c> on Windows).</summary>
    public string VenvPython { get; }

    /// <summary>The config named by <c>KAIT_CONFIG</c> (absolute), or null when none is.</summary>
    public string? ConfigFile { get; }

    /// <summary>The project's config: <c>config/litellm_config.yaml</c> in <see cref="WorkingDirectory"/>.</summary>
    public string LocalConfigFile { get; }

    /// <summary>The last place a config is looked for: <c>$KAIT_HOME/litellm_config.yaml</c>.</summary>
    public string ConfigFallback { get; }

    private string UserHome { get; }

    /// <summary>The paths of <paramref name="options"/> in <paramref name="environment"/>: <see cref="KaitOptions.Home"/>
    /// (else <c>~/.kait</c>) and <see cref="KaitOptions.ConfigFile"/>, with <c>~</c> the environment's <c>HOME</c> and
    /// relative paths taken from its working directory.</summary>
    /// <param name="options">The options.</param>
    /// <param name="environment">The environment.</param>
    public static KaitPaths From(KaitOptions options, KaitEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var home = string.IsNullOrWhiteSpace(options.Home) ? DefaultHome : options.Home;
        return new KaitPaths(home, environment.WorkingDirectory, environment.UserHome, options.ConfigFile);
    }

    /// <summary>The LiteLLM config to read: <see cref="ConfigFile"/>, else <see cref="LocalConfigFile"/> when it exists,
    /// else <see cref="ConfigFallback"/> when it exists, else null.</summary>
    /// <exception cref="KaitConfigurationException"><c>KAIT_CONFIG</c> names a file that does not exist.</exception>
    public string? FindConfigFile()
    {
        if (ConfigFile is not null)
        {
            return File.Exists(ConfigFile)
                ? ConfigFile
                : throw new KaitConfigurationException($"{KaitEnvironmentVariables.Config} names '{ConfigFile}', which does not exist.")
                {
                    Variable = KaitEnvironmentVariables.Config,
                };
        }

        if (File.Exists(LocalConfigFile))
        {
            return LocalConfigFile;
        }

        return File.Exists(ConfigFallback) ? ConfigFallback : null;
    }

    /// <summary><paramref name="path"/> made absolute: a leading <c>~</c> is the user's home, a relative path is taken
    /// from <see cref="WorkingDirectory"/>.</summary>
    internal string Resolve(string path)
    {
        if (path == "~")
        {
            return Path.GetFullPath(UserHome);
        }

        if (path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal))
        {
            return Path.GetFullPath(Path.Combine(UserHome, path[2..]));
        }

        return Path.GetFullPath(path, WorkingDirectory);
    }
}
