namespace Kait.Sdk.Config;

/// <summary>How serious a config diagnostic is (maps onto Roslyn's severities).</summary>
internal enum ConfigSeverity
{
    /// <summary>Informational.</summary>
    Info = 1,

    /// <summary>A warning.</summary>
    Warning = 2,

    /// <summary>An error: the build fails.</summary>
    Error = 3,
}
