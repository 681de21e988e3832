namespace Kait.Sdk;

/// <summary>The supervised proxy process section of <see cref="KaitOptions"/> (<c>Kait:Supervisor</c>), read by
/// <c>AddLiteLlmProxy()</c> and <c>kait proxy</c>.</summary>
public sealed class KaitSupervisorOptions
{
    /// <summary>The Python interpreter that runs <c>litellm</c> (<c>KAIT_PYTHON</c>); null: <see cref="KaitPaths.VenvPython"/>
    /// when it exists, else <c>python3</c> on <c>PATH</c>.</summary>
    public string? Python { get; set; }

    /// <summary>How long a start may take until <c>/health/readiness</c> answers. Default 60 s.</summary>
    public TimeSpan ReadinessTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a stop waits after SIGTERM before it kills. Default 10 s.</summary>
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>At most this many restarts after a crash within <see cref="RestartWindow"/>; one more crash gives up. Default 5.</summary>
    public int MaxRestartsInWindow { get; set; } = 5;

    /// <summary>The window over which restarts are counted. Default 10 minutes.</summary>
    public TimeSpan RestartWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The size at which the proxy's log (<see cref="KaitPaths.ProxyLogFile"/>) is rotated. Default 10 MB.</summary>
    public long LogMaxBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>How many rotated logs are kept (<c>litellm.log.1</c> … <c>.N</c>). Default 3.</summary>
    public int LogBackupCount { get; set; } = 3;
}
