using System.Collections.Generic;

namespace Kait.Sdk.Config;

/// <summary>A config and what was found wrong with it. Nothing is dropped silently: every entry that could not be
/// read has a diagnostic.</summary>
/// <param name="Config">The config (empty when the file does not parse).</param>
/// <param name="Diagnostics">Findings, in file order.</param>
internal sealed record ConfigReadResult(LiteLlmConfig Config, IReadOnlyList<ConfigDiagnostic> Diagnostics)
{
    /// <summary>True when any diagnostic is an error.</summary>
    public bool HasErrors
    {
        get
        {
            foreach (var d in Diagnostics)
            {
                if (d.Severity == ConfigSeverity.Error)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
