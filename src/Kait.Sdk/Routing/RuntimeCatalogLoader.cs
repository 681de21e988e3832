using System.Text;
using Kait.Sdk.Config;
using Microsoft.Extensions.Logging;

namespace Kait.Sdk.Routing;

/// <summary>Finds and reads the LiteLLM config at run time: <c>KAIT_CONFIG</c>, else <c>config/litellm_config.yaml</c>
/// in the working directory, else <c>$KAIT_HOME/litellm_config.yaml</c>; merged over the generated aliases.
/// Files are read as hostile input: only regular files (never a device or a pipe, which would hang the read), at most
/// <see cref="LiteLlmConfigReader.MaxFileBytes"/>, and an include only inside the including file's directory (no
/// absolute path, no <c>..</c>, no link out of it).</summary>
internal static partial class RuntimeCatalogLoader
{
    private const int MaxLinkHops = 40;

    /// <summary>The config file to read, or null when there is none.</summary>
    /// <exception cref="KaitConfigurationException"><c>KAIT_CONFIG</c> names a file that does not exist.</exception>
    public static string? FindConfigFile(KaitOptions options, KaitEnvironment environment) => KaitPaths.From(options, environment).FindConfigFile();

    /// <summary>The catalogue: generated aliases merged with the run-time config, if one is found.</summary>
    /// <exception cref="KaitConfigurationException">The config is refused (KAIT014, KAIT015 or KAIT016): too large or
    /// complex, a refused file or include, a name with an invisible or line-breaking character.</exception>
    public static ModelCatalog Load(KaitOptions options, KaitEnvironment environment, ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger(typeof(RuntimeCatalogLoader).FullName!);
        var file = FindConfigFile(options, environment);
        if (file is null)
        {
            return new ModelCatalog(null, loggerFactory.CreateLogger<ModelCatalog>());
        }

        var result = Read(file, CancellationToken.None);
        foreach (var diagnostic in result.Diagnostics)
        {
            // A config over the limits, a refused file and names that would print as something else are refused
            // whole rather than loaded in part.
            if (diagnostic.Id is KaitDiagnosticIds.TooComplex or KaitDiagnosticIds.RefusedFile or KaitDiagnosticIds.UnsafeName)
            {
                throw new KaitConfigurationException("The LiteLLM config is refused: " + diagnostic);
            }
        }

        foreach (var diagnostic in result.Diagnostics)
        {
            LogDiagnostic(logger, file, diagnostic.ToString() ?? string.Empty);
        }

        LogLoaded(logger, file, result.Config.Aliases.Count);
        return new ModelCatalog(result.Config, loggerFactory.CreateLogger<ModelCatalog>());
    }

    /// <summary>Reads <paramref name="file"/> and its includes with the reader's limits. A file that cannot be read
    /// safely is a KAIT015 diagnostic in the result, never a hang or an exception.</summary>
    public static ConfigReadResult Read(string file, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = ReadBounded(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var diagnostic = KaitDiagnostics.RefusedFile.At(new SourceSpan(file, 0, 0, 0, 0), file, ex.Message);
            return new ConfigReadResult(LiteLlmConfig.Empty with { File = file }, [diagnostic]);
        }

        return LiteLlmConfigReader.Read(text, file, ResolveInclude, cancellationToken);
    }

    /// <summary>The file <paramref name="includeName"/> names, from <paramref name="includingFile"/>'s directory; null
    /// when there is none.</summary>
    /// <exception cref="IOException">The include leaves the directory (by its name or through a link), is not a regular
    /// file, or is too large; the reader reports it as KAIT015 at the include's line.</exception>
    private static IncludedConfigFile? ResolveInclude(string includeName, string includingFile)
    {
        if (Path.IsPathRooted(includeName))
        {
            throw new IOException("an absolute path; an include must name a file in the config's directory or below it");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(includingFile)) ?? ".";
        var path = Path.GetFullPath(includeName, directory);
        if (!File.Exists(path))
        {
            return null;
        }

        var realDirectory = RealPath(directory);
        var realPath = RealPath(path);
        if (!realPath.StartsWith(Path.TrimEndingDirectorySeparator(realDirectory) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new IOException($"it resolves to '{realPath}', outside the config's directory '{realDirectory}'");
        }

        return new IncludedConfigFile(path, ReadBounded(realPath));
    }

    /// <summary>The text of a regular file of at most <see cref="LiteLlmConfigReader.MaxFileBytes"/>, decoded as
    /// <c>File.ReadAllText</c> does (a byte-order mark chooses the encoding, else UTF-8; invalid bytes become U+FFFD).
    /// Links are resolved first; the file is then opened without blocking (a pipe does not wait for a writer and is
    /// refused as not seekable) and never read past the limit (a device that never ends is refused as too large).</summary>
    private static string ReadBounded(string path)
    {
        using var stream = Kait.Sdk.IO.PrivateFiles.OpenReadAnyType(RealPath(Path.GetFullPath(path)))
            ?? throw new FileNotFoundException("the file does not exist", path);
        if (!stream.CanSeek)
        {
            throw new IOException("not a regular file (a device, a pipe or a directory)");
        }

        var limit = LiteLlmConfigReader.MaxFileBytes;
        var length = stream.Length;
        if (length > limit)
        {
            throw new IOException(FormattableString.Invariant($"{length:N0} bytes, over the {limit >> 20} MiB limit for a config file"));
        }

        // Never read more than the limit, whatever the file says; a file that gives more than its length at open is a
        // device (/dev/zero has length 0) or grew under the read.
        var buffer = new byte[Math.Min(length, limit) + 1];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = stream.Read(buffer, read, buffer.Length - read)) > 0)
        {
            read += n;
        }

        if (read > length)
        {
            throw new IOException(read > limit
                ? $"larger than the {limit >> 20} MiB limit for a config file"
                : "not a regular file (a device, a pipe or a directory), or it grew while it was read");
        }

        using var reader = new StreamReader(new MemoryStream(buffer, 0, read), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>The path with every link resolved, as <c>realpath(3)</c> does: component by component, so a link to a
    /// directory followed by <c>..</c> goes where the system would go.</summary>
    private static string RealPath(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath) ?? string.Empty;
        var current = root;
        var pending = new Stack<string>();
        Push(pending, fullPath[root.Length..]);
        var hops = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Combine(current, part);
            var link = new FileInfo(next).LinkTarget;
            if (link is null)
            {
                current = next;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                throw new IOException($"'{fullPath}' goes through more than {MaxLinkHops} links");
            }

            if (Path.IsPathRooted(link))
            {
                var linkRoot = Path.GetPathRoot(link) ?? string.Empty;
                current = linkRoot;
                link = link[linkRoot.Length..];
            }

            Push(pending, link);
        }

        return current;

        static void Push(Stack<string> pending, string relative)
        {
            var parts = relative.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar]);
            for (var i = parts.Length - 1; i >= 0; i--)
            {
                pending.Push(parts[i]);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "LiteLLM config {File}: {Diagnostic}")]
    private static partial void LogDiagnostic(ILogger logger, string file, string diagnostic);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Read {Count} model aliases from {File}")]
    private static partial void LogLoaded(ILogger logger, string file, int count);
}
