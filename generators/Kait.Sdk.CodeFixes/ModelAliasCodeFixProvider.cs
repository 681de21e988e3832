using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Kait.Sdk.Config;
using Kait.Sdk.Generators.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace Kait.Sdk.CodeFixes;

/// <summary>
/// Turns an alias string into its typed member: <c>Models.Names.ClaudeFast</c> where a string or constant is required,
/// <c>Models.ClaudeFast</c> where an overload takes a <c>ModelAlias</c>. For an unknown alias (KAIT100) it offers the
/// nearest known one.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ModelAliasCodeFixProvider))]
[Shared]
public sealed class ModelAliasCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(KaitDiagnosticIds.UnknownAlias, KaitDiagnosticIds.UseTypedAlias);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            var props = diagnostic.Properties;
            if (!props.TryGetValue(ModelAliasStringAnalyzer.AliasProperty, out var alias) || alias is null)
            {
                continue;
            }

            props.TryGetValue(ModelAliasStringAnalyzer.IdentifierProperty, out var identifier);
            props.TryGetValue(ModelAliasStringAnalyzer.NamespaceProperty, out var ns);
            var typed = props.TryGetValue(ModelAliasStringAnalyzer.AcceptsModelAliasProperty, out var accepts) && accepts == "true";
            string replacement;
            string title;
            if (identifier is null)
            {
                replacement = SymbolDisplay.FormatLiteral(alias, quote: true);
                title = "Use '" + alias + "'";
            }
            else
            {
                var member = typed ? "Models." + identifier : "Models.Names." + identifier;
                replacement = (string.IsNullOrEmpty(ns) ? "global::" : "global::" + ns + ".") + member;
                title = diagnostic.Id == KaitDiagnosticIds.UnknownAlias ? "Use " + member + " ('" + alias + "')" : "Use " + member;
            }

            context.RegisterCodeFix(
                CodeAction.Create(title, ct => ReplaceAsync(context.Document, diagnostic, replacement, ct), equivalenceKey: diagnostic.Id + ":" + typed),
                diagnostic);
        }

        return Task.CompletedTask;
    }

    private static async Task<Document> ReplaceAsync(Document document, Diagnostic diagnostic, string replacement, CancellationToken ct)
    {
        var root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var expression = SyntaxFactory.ParseExpression(replacement)
            .WithTriviaFrom(node)
            .WithAdditionalAnnotations(Simplifier.Annotation, Formatter.Annotation);
        return document.WithSyntaxRoot(root.ReplaceNode(node, expression));
    }
}
