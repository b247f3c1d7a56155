using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SpecSynth.Context.Outlines;

/// <summary>
/// The outline of a C# file through Roslyn's parser: usings, namespaces, type and member declarations with their
/// attributes and doc comments; method, constructor, operator and accessor bodies become <c>;</c>, expression-bodied
/// properties become <c>{ get; }</c>, top-level statements are left out. Kept in its own type so that Roslyn loads only
/// when a C# file is actually outlined.
/// </summary>
internal static class CSharpOutline
{
    /// <summary>The outline of <paramref name="source"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string Build(string source, CancellationToken cancellationToken = default)
    {
        var root = CSharpSyntaxTree.ParseText(source, cancellationToken: cancellationToken).GetRoot(cancellationToken);
        var cuts = new List<(int Start, int End, string Replacement)>();
        foreach (var node in root.DescendantNodes(n => n is not (BlockSyntax or ArrowExpressionClauseSyntax or GlobalStatementSyntax)))
        {
            switch (node)
            {
                case GlobalStatementSyntax statement:
                    cuts.Add((statement.FullSpan.Start, statement.FullSpan.End, ""));
                    break;
                case BaseMethodDeclarationSyntax { Body: { } body }:
                    cuts.Add(Cut(body, body.Span.End, ";"));
                    break;
                case BaseMethodDeclarationSyntax { ExpressionBody: { } arrow } method:
                    cuts.Add(Cut(arrow, method.SemicolonToken.Span.End, ";"));
                    break;
                case AccessorDeclarationSyntax { Body: { } body }:
                    cuts.Add(Cut(body, body.Span.End, ";"));
                    break;
                case AccessorDeclarationSyntax { ExpressionBody: { } arrow } accessor:
                    cuts.Add(Cut(arrow, accessor.SemicolonToken.Span.End, ";"));
                    break;
                case PropertyDeclarationSyntax { ExpressionBody: { } arrow } property:
                    cuts.Add(Cut(arrow, property.SemicolonToken.Span.End, " { get; }"));
                    break;
                case IndexerDeclarationSyntax { ExpressionBody: { } arrow } indexer:
                    cuts.Add(Cut(arrow, indexer.SemicolonToken.Span.End, " { get; }"));
                    break;
            }
        }
        var sb = new StringBuilder(source.Length / 2);
        var at = 0;
        foreach (var (start, end, replacement) in cuts.OrderBy(c => c.Start))
        {
            if (start < at)
            {
                continue;
            }
            sb.Append(source, at, start - at).Append(replacement);
            at = end;
        }
        sb.Append(source, at, source.Length - at);
        return OutlineText.Tidy(sb.ToString());
    }

    // From the end of the token before the body (the signature's last token) to the end of the body.
    private static (int, int, string) Cut(SyntaxNode body, int end, string replacement) =>
        (body.GetFirstToken().GetPreviousToken().Span.End, end, replacement);
}
