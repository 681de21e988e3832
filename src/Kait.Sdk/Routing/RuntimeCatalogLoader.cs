using Kait.Sdk.Config;
using Microsoft.Extensions.Logging;

namespace Kait.Sdk.Routing;

/// <summary>Finds and reads the LiteLLM config at run time: <c>KAIT_CONFIG</c>, else <c>config/litellm_config.yaml</c>
/// in the working directory, else <c>$KAIT_HOME/litellm_config.yaml</c>; merged over the generated aliases.</summary>
internal static partial class RuntimeCatalogLoader
{
    /// <summary>The config file to read, or null when there is none.</summary>
    /// <exception cref="KaitConfigurationException"><c>KAIT_CONFIG</c> names a file that does not exist.</exception>
    public static string? FindConfigFile(KaitOptions options, KaitEnvironment environment) => KaitPaths.From(options, environment).FindConfigFile();

    /// <summary>The catalogue: generated aliases merged with the run-time config, if one is found.</summary>
    public static ModelCatalog Load(KaitOptions options, KaitEnvironment environment, ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger(typeof(RuntimeCatalogLoader).FullName!);
        var file = FindConfigFile(options, environment);
        if (file is null)
        {
            return new ModelCatalog(null, loggerFactory.CreateLogger<ModelCatalog>());
        }

        var result = LiteLlmConfigReader.Read(File.ReadAllText(file), file, ResolveInclude);
        foreach (var diagnostic in result.Diagnostics)
        {
            LogDiagnostic(logger, file, diagnostic.ToString() ?? string.Empty);
        }

        LogLoaded(logger, file, result.Config.Aliases.Count);
        return new ModelCatalog(result.Config, loggerFactory.CreateLogger<ModelCatalog>());
    }

    internal static IncludedConfigFile? ResolveInclude(string includeName, string includingFile)
    {
        var path = Path.GetFullPath(includeName, Path.GetDirectoryName(includingFile) ?? ".");
        return File.Exists(path) ? new IncludedConfigFile(path, File.ReadAllText(path)) : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "LiteLLM config {File}: {Diagnostic}")]
    private static partial void LogDiagnostic(ILogger logger, string file, string diagnostic);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Read {Count} model aliases from {File}")]
    private static partial void LogLoaded(ILogger logger, string file, int count);
}
