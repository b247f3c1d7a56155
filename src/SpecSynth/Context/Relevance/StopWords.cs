using System.Collections.Frozen;

namespace SpecSynth.Context.Relevance;

/// <summary>Words of a spec that say nothing about which files matter: English function words, the vocabulary of
/// requirements documents and the commonest keywords of programming languages.</summary>
internal static class StopWords
{
    private static readonly FrozenSet<string> Words = FrozenSet.Create(StringComparer.Ordinal,
        // English
        "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
        "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do",
        "does", "doing", "down", "during", "each", "either", "else", "etc", "even", "every", "few", "for", "from",
        "further", "had", "has", "have", "having", "he", "her", "here", "his", "how", "however", "i", "if", "in",
        "into", "is", "it", "its", "itself", "just", "least", "less", "like", "may", "me", "might", "more", "most",
        "much", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only", "or", "other", "our",
        "out", "over", "own", "per", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their",
        "them", "then", "there", "these", "they", "this", "those", "through", "thus", "to", "too", "two", "under",
        "until", "up", "upon", "us", "very", "via", "was", "we", "were", "what", "when", "where", "whether", "which",
        "while", "who", "whom", "why", "will", "with", "within", "without", "would", "yes", "yet", "you", "your",
        "e", "g", "ie", "eg", "vs", "non", "re",
        // Requirements documents
        "must", "shall", "need", "needs", "required", "requirement", "requirements", "optional", "optionally",
        "given", "story", "stories", "acceptance", "criteria", "goal", "goals", "feature", "features",
        "spec", "specification", "section", "note", "notes", "tbd", "example", "examples",
        "ensure", "ensures", "support", "supports", "provide", "provides", "allow", "allows", "able", "use",
        "uses", "used", "make", "makes", "new", "add", "adds", "added", "want", "wants",
        "fr", "nfr", "id", "ids",
        // Programming keywords every language repeats
        "const", "let", "var", "return", "returns", "function", "func", "def", "fn", "public", "private",
        "protected", "internal", "static", "void", "null", "nil", "none", "true", "false", "self",
        "import", "export", "include", "require", "using", "namespace", "package", "int", "string", "bool",
        "www", "com", "org", "md");

    /// <summary>Whether the lower-case <paramref name="word"/> is a stop word.</summary>
    public static bool Contains(string word) => Words.Contains(word);
}
