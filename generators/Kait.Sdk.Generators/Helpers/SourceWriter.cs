using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace Kait.Sdk.Generators
{
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

        /// <summary>A C# string literal: <see cref="SymbolDisplay.FormatLiteral(string, bool)"/>, without the call for
        /// text that needs no escape (printable ASCII with no quote or backslash).</summary>
        public SourceWriter AppendLiteral(string value)
        {
            if (NeedsNoEscape(value))
            {
                builder.Append('"').Append(value).Append('"');
            }
            else
            {
                builder.Append(SymbolDisplay.FormatLiteral(value, quote: true));
            }

            return this;
        }

        /// <summary>Text for an XML doc comment: <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> escaped, line breaks as spaces.</summary>
        public SourceWriter AppendXml(string text)
        {
            AppendXml(builder, text);
            return this;
        }

        /// <summary>Appends <paramref name="text"/> to <paramref name="target"/> escaped for an XML doc comment.</summary>
        public static void AppendXml(StringBuilder target, string text)
        {
            foreach (var c in text)
            {
                switch (c)
                {
                    case '&': target.Append("&amp;"); break;
                    case '<': target.Append("&lt;"); break;
                    case '>': target.Append("&gt;"); break;
                    case '\r': case '\n': target.Append(' '); break;
                    default: target.Append(c); break;
                }
            }
        }

        /// <summary>Ends the line <see cref="Start"/> began.</summary>
        public void End() => builder.Append('\n');

        public override string ToString() => builder.ToString();

        private static bool NeedsNoEscape(string value)
        {
            foreach (var c in value)
            {
                if (c < ' ' || c > '~' || c == '"' || c == '\\' || c == '\'')
                {
                    return false;
                }
            }

            return true;
        }
    }
}
