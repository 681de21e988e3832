using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using Kait.Sdk.Config;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Kait.Sdk.Generators;

/// <summary>Which AdditionalFile is the config, and how includes are found among the others. Shared by the generator
/// and the analyzer so both read the same file the same way.</summary>
internal static class ConfigSelection
{
    /// <summary>The config candidates, best first: files Kait.Sdk.props marked, else the file <c>KaitConfigFile</c> names,
    /// else files named <c>litellm_config.yaml</c>/<c>.yml</c>.</summary>
    public static List<T> Candidates<T>(IEnumerable<T> files, Func<T, string> path, Func<T, bool> marked, string? configFile)
    {
        var candidates = new List<T>();
        foreach (var file in files)
        {
            if (marked(file))
            {
                candidates.Add(file);
            }
        }

        if (candidates.Count == 0 && configFile is not null)
        {
            var wanted = Normalize(configFile);
            foreach (var file in files)
            {
                var p = Normalize(path(file));
                if (p == wanted || p.EndsWith("/" + wanted.TrimStart('.', '/'), StringComparison.Ordinal))
                {
                    candidates.Add(file);
                }
            }
        }

        if (candidates.Count == 0)
        {
            foreach (var file in files)
            {
                var name = Path.GetFileName(path(file));
                if (string.Equals(name, "litellm_config.yaml", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "litellm_config.yml", StringComparison.OrdinalIgnoreCase))
                {
                    candidates.Add(file);
                }
            }
        }

        candidates.Sort((a, b) => string.CompareOrdinal(path(a), path(b)));
        return candidates;
    }

    /// <summary>The file <paramref name="name"/> as included from <paramref name="including"/>: by relative path, else by
    /// file name.</summary>
    public static T? FindInclude<T>(IEnumerable<T> files, Func<T, string> path, string name, string including)
        where T : class
    {
        var wanted = Normalize(Path.Combine(Path.GetDirectoryName(including) ?? string.Empty, name));
        T? byFileName = null;
        foreach (var file in files)
        {
            var p = path(file);
            if (string.Equals(Normalize(p), wanted, StringComparison.Ordinal))
            {
                return file;
            }

            if (byFileName is null && string.Equals(Path.GetFileName(p), Path.GetFileName(name), StringComparison.Ordinal)
                && !string.Equals(p, including, StringComparison.Ordinal))
            {
                byFileName = file;
            }
        }

        return byFileName;
    }

    /// <summary>The text of a YAML AdditionalFile, cut one character past <see cref="LiteLlmConfigReader.MaxFileBytes"/>:
    /// enough for the reader to report KAIT014 at the line where the cap falls, without copying a huge file.</summary>
    public static string? ReadCapped(AdditionalText file, CancellationToken ct)
    {
        var text = file.GetText(ct);
        if (text is null)
        {
            return null;
        }

        return text.Length > LiteLlmConfigReader.MaxFileBytes
            ? text.ToString(new TextSpan(0, LiteLlmConfigReader.MaxFileBytes + 1))
            : text.ToString();
    }

    public static bool IsYaml(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    public static string Normalize(string path) => path.Replace('\\', '/').Replace("/./", "/");

    /// <summary>The path relative to the project, so generated code holds no machine-specific path.</summary>
    public static string DisplayPath(string path, string? projectDirectory)
    {
        var normalized = Normalize(path);
        if (projectDirectory is not null)
        {
            var dir = Normalize(projectDirectory).TrimEnd('/') + "/";
            if (normalized.StartsWith(dir, StringComparison.Ordinal))
            {
                return normalized.Substring(dir.Length);
            }
        }

        return Path.GetFileName(normalized);
    }
}
