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
        switch (Text(node)?.Trim())
        {
            case "true": case "True": case "TRUE": case "yes": case "Yes": case "YES": case "on": case "On": case "ON":
                return true;
            case "false": case "False": case "FALSE": case "no": case "No": case "NO": case "off": case "Off": case "OFF":
                return false;
            default:
                return null;
        }
    }
}
