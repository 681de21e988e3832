using System;
using System.Collections.Generic;
using System.Text;

namespace Kait.Sdk.Config;

/// <summary>Turns aliases into C# member names: the PascalCase of their alphanumeric runs
/// (<c>claude-fast</c> → <c>ClaudeFast</c>, <c>gpt-3.5-turbo</c> → <c>Gpt35Turbo</c>).</summary>
internal static class AliasIdentifiers
{
    /// <summary>Names the generated <c>Models</c> class uses for itself and its helpers; an alias that maps onto one
    /// of them gets a trailing <c>_</c>.</summary>
    public static IReadOnlyList<string> Reserved { get; } = new[]
    {
        "All", "TryGet", "Wildcards", "Names", "Models", "Equals", "GetHashCode", "ToString", "GetType", "ReferenceEquals",
        "MemberwiseClone", "Finalize",
    };

    private static readonly HashSet<string> Keywords = new HashSet<string>(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock", "long",
        "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected", "public",
        "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string", "struct", "switch",
        "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void",
        "volatile", "while",
    };

    /// <summary>The member name for <paramref name="alias"/>; empty when it has no letters or digits.</summary>
    public static string ToIdentifier(string alias)
    {
        var builder = new StringBuilder(alias.Length);
        var startOfRun = true;
        foreach (var c in alias)
        {
            if (IsAsciiLetterOrDigit(c))
            {
                builder.Append(startOfRun ? char.ToUpperInvariant(c) : c);
                startOfRun = false;
            }
            else
            {
                startOfRun = true;
            }
        }

        if (builder.Length == 0)
        {
            return string.Empty;
        }

        var name = builder.ToString();
        if (char.IsDigit(name[0]) || Keywords.Contains(name))
        {
            name = "_" + name;
        }

        foreach (var reserved in Reserved)
        {
            if (string.Equals(reserved, name, StringComparison.Ordinal))
            {
                return name + "_";
            }
        }

        return name;
    }

    /// <summary>Assigns member names to aliases in order, as the generator does: an alias with no letters or digits gets
    /// none, and an alias whose name is already taken gets none and names the alias that holds it.</summary>
    public static IReadOnlyList<AliasIdentifier> Assign(IEnumerable<string> aliases)
    {
        var result = new List<AliasIdentifier>();
        var taken = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var alias in aliases)
        {
            var identifier = ToIdentifier(alias);
            if (identifier.Length == 0)
            {
                result.Add(new AliasIdentifier(alias, null, null));
            }
            else if (taken.TryGetValue(identifier, out var holder))
            {
                result.Add(new AliasIdentifier(alias, null, holder) { ClashingIdentifier = identifier });
            }
            else
            {
                taken[identifier] = alias;
                result.Add(new AliasIdentifier(alias, identifier, null));
            }
        }

        return result;
    }

    private static bool IsAsciiLetterOrDigit(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/// <summary>An alias and the member the generated <c>Models</c> class gives it.</summary>
/// <param name="Alias">The alias.</param>
/// <param name="Identifier">Its member name; null when it gets none.</param>
/// <param name="TakenBy">When its name was already taken: the alias that holds it.</param>
internal sealed record AliasIdentifier(string Alias, string? Identifier, string? TakenBy)
{
    /// <summary>The identifier both aliases map to, when there is a clash.</summary>
    public string? ClashingIdentifier { get; init; }
}
