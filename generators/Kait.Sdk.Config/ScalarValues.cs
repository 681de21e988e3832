using System;
using System.Globalization;
using Kait.Sdk.Config.Yaml;

namespace Kait.Sdk.Config;

/// <summary>YAML 1.1 scalar typing as PyYAML applies it (<c>True</c>, <c>20_000</c>, quoted numbers accepted where LiteLLM casts).</summary>
internal static class ScalarValues
{
    public static string? Text(YNode? node) => node is YScalar s && !s.IsNull ? s.Value : null;

    public static int? Int(YNode? node)
    {
        var text = Text(node)?.Replace("_", string.Empty).Trim();
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i))
        {
            return i;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= int.MinValue && d <= int.MaxValue
            ? (int)d
            : null;
    }

    public static double? Double(YNode? node)
    {
        var text = Text(node)?.Replace("_", string.Empty).Trim();
        return text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
    }

    public static decimal? Decimal(YNode? node)
    {
        var text = Text(node)?.Replace("_", string.Empty).Trim();
        if (text is null)
        {
            return null;
        }

        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var m))
        {
            return m;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsNaN(d) && !double.IsInfinity(d)
            && Math.Abs(d) < 7.9e28
            ? (decimal)d
            : null;
    }

    public static bool? Bool(YNode? node)
    {
        return (Text(node)?.Trim()) switch
        {
            "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" => true,
            "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF" => false,
            _ => null,
        };
    }
}
