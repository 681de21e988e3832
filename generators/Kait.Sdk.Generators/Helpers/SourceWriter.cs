using System.Globalization;
using System.Text;

namespace Kait.Sdk.Generators;

/// <summary>Writes indented C# (after dotnet/runtime's SourceWriter). A line is either one string
/// (<see cref="WriteLine"/>) or built in place: <see cref="Start"/>, <c>Append...</c>, <see cref="End"/>, so a
/// 1,000-alias config does not build every line as a concatenated string first.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder builder;
    private int indent;

    public SourceWriter(int capacity = 16)
    {
        builder = new StringBuilder(capacity);
    }

    public void Indent() => indent++;

    public void Unindent() => indent--;

    public void OpenBlock()
    {
        WriteLine("{");
        indent++;
    }

    public void CloseBlock(string suffix = "")
    {
        indent--;
        Start().Append('}').Append(suffix).End();
    }

    public void WriteLine(string line = "")
    {
        if (line.Length > 0)
        {
            builder.Append(' ', indent * 4);
            builder.Append(line);
        }

        builder.Append('\n');
    }

    /// <summary>Starts a non-empty line at the current indentation.</summary>
    public SourceWriter Start()
    {
        builder.Append(' ', indent * 4);
        return this;
    }

    public SourceWriter Append(string text)
    {
        builder.Append(text);
        return this;
    }

    public SourceWriter Append(char c)
    {
        builder.Append(c);
        return this;
    }

    public SourceWriter Append(int value)
    {
        builder.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    /// <summary>A C# string literal of config text: quotes and backslashes escaped, the usual escapes for
    /// <c>\0 \a \b \f \n \r \t \v</c>, and <c>\uXXXX</c> for every other control, line-breaking (U+0085, U+2028,
    /// U+2029), format (the bidi controls, zero-width characters) or unpaired surrogate character, so no config
    /// text can end the literal, end the line or reorder what a reader sees.</summary>
    public SourceWriter AppendLiteral(string value)
    {
        AppendLiteral(builder, value);
        return this;
    }

    /// <summary>Text for an XML doc comment: <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> escaped, <c>\r \n \t</c> as
    /// spaces, every other unsafe character (see <see cref="AppendLiteral(string)"/>) written as the text
    /// <c>\uXXXX</c>: C# ends a <c>///</c> line at U+0085, U+2028 and U+2029 too, and a bidi control would reorder
    /// the line.</summary>
    public SourceWriter AppendXml(string text)
    {
        AppendDocText(builder, text, xml: true);
        return this;
    }

    /// <summary>Text for a <c>//</c> comment: as <see cref="AppendXml(string)"/>, without the XML escapes.</summary>
    public SourceWriter AppendComment(string text)
    {
        AppendDocText(builder, text, xml: false);
        return this;
    }

    /// <summary>Appends <paramref name="value"/> to <paramref name="target"/> as a C# string literal.</summary>
    public static void AppendLiteral(StringBuilder target, string value)
    {
        target.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': target.Append("\\\""); break;
                case '\\': target.Append("\\\\"); break;
                case '\0': target.Append("\\0"); break;
                case '\a': target.Append("\\a"); break;
                case '\b': target.Append("\\b"); break;
                case '\f': target.Append("\\f"); break;
                case '\n': target.Append("\\n"); break;
                case '\r': target.Append("\\r"); break;
                case '\t': target.Append("\\t"); break;
                case '\v': target.Append("\\v"); break;
                default:
                    if (Kait.Sdk.Config.UnsafeText.IsUnsafe(value, i))
                    {
                        AppendEscape(target, c);
                    }
                    else
                    {
                        target.Append(c);
                    }

                    break;
            }
        }

        target.Append('"');
    }

    /// <summary>Appends <paramref name="text"/> to <paramref name="target"/> as comment text (XML-escaped when
    /// <paramref name="xml"/>).</summary>
    public static void AppendDocText(StringBuilder target, string text, bool xml)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&' when xml: target.Append("&amp;"); break;
                case '<' when xml: target.Append("&lt;"); break;
                case '>' when xml: target.Append("&gt;"); break;
                case '\r': case '\n': case '\t': target.Append(' '); break;
                default:
                    if (Kait.Sdk.Config.UnsafeText.IsUnsafe(text, i))
                    {
                        AppendEscape(target, c);
                    }
                    else
                    {
                        target.Append(c);
                    }

                    break;
            }
        }
    }

    /// <summary>Ends the line <see cref="Start"/> began.</summary>
    public void End() => builder.Append('\n');

    public override string ToString() => builder.ToString();

    private static void AppendEscape(StringBuilder target, char c) =>
        target.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
}
