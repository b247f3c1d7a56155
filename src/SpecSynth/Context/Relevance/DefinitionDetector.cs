namespace SpecSynth.Context.Relevance;

/// <summary>
/// Decides, from the line around it, whether an identifier occurrence in source text declares the identifier rather
/// than uses it. One heuristic serves the C family (C, C++, C#, Java, Go, Rust, JavaScript, TypeScript) and the
/// keyword languages (Python, Ruby, Kotlin, Swift): a declaring keyword right before the name (<c>class</c>,
/// <c>def</c>, <c>func</c>, <c>function</c>, <c>fn</c>, <c>#define</c>, ...); <c>const/let/var name =</c>;
/// <c>exports.name =</c> and <c>X.prototype.name =</c>; a function head (<c>static int name(</c>,
/// <c>void Class::name(</c>, a method <c>name(args) {</c>, Go's <c>func (r T) name(</c>); a C# property.
/// </summary>
internal static class DefinitionDetector
{
    private const int MaxLine = 400;

    private static readonly AsciiWordSet DeclaringKeywords = new(
        "class", "struct", "interface", "enum", "record", "trait", "type", "typedef", "def", "func", "fn", "fun",
        "function", "namespace", "module", "impl", "union", "protocol", "object", "define", "macro", "sub", "proc",
        "extension", "delegate", "event");

    private static readonly AsciiWordSet VariableKeywords = new("const", "let", "var", "val");

    private static readonly AsciiWordSet OwnerWords = new("exports", "prototype", "self", "this");

    private static readonly AsciiWordSet LineStartingFunctions = new("func", "fn", "def", "function", "fun", "sub", "proc");

    private static readonly AsciiWordSet NotDeclarations = new(
        "if", "else", "while", "for", "foreach", "switch", "return", "case", "new", "throw", "await", "yield", "typeof",
        "delete", "do", "catch", "sizeof", "echo", "print", "assert", "not", "and", "or", "in", "of", "lambda", "goto",
        "using", "lock", "when", "is", "as", "go", "defer", "raise", "except", "with", "elif", "unless", "until");

    private static readonly AsciiWordSet Modifiers = new(
        "public", "private", "protected", "internal", "static", "readonly", "abstract", "virtual", "override", "required");

    /// <summary>Whether the identifier at <c>[start, end)</c> of <paramref name="text"/> is declared there.</summary>
    /// <param name="text">The file's bytes.</param>
    /// <param name="start">Where the identifier starts.</param>
    /// <param name="end">Where it ends (exclusive).</param>
    /// <param name="isHeader">The file is a C/C++ header, where a prototype ending in <c>;</c> declares.</param>
    public static bool IsDeclaration(ReadOnlySpan<byte> text, int start, int end, bool isHeader)
    {
        var back = text[Math.Max(0, start - MaxLine)..start];
        var lineStart = start - back.Length + back.LastIndexOf((byte)'\n') + 1;
        var ahead = text[end..Math.Min(text.Length, end + MaxLine)];
        var newline = ahead.IndexOf((byte)'\n');
        var rest = newline < 0 ? ahead : ahead[..newline];
        var prefix = text[lineStart..start];
        var next = FirstNonBlank(rest);
        var previous = PreviousWord(prefix, out var joinedByDot);
        if (previous is not null && !joinedByDot && DeclaringKeywords.Contains(previous))
        {
            return true;
        }
        if (previous is not null && !joinedByDot && VariableKeywords.Contains(previous) && IsAssignment(rest))
        {
            return true;
        }
        if (previous is not null && joinedByDot && OwnerWords.Contains(previous) && IsAssignment(rest))
        {
            return true;
        }
        var first = FirstWord(prefix);
        if (next == (byte)'(' && first is not null && LineStartingFunctions.Contains(first))
        {
            return true; // func (s *Server) Name(...), pub fn name(...)
        }
        if (!IsDeclarationPrefix(prefix) || (first is not null && NotDeclarations.Contains(first)))
        {
            return false;
        }
        var last = LastNonBlank(rest);
        if (next is (byte)'(' or (byte)'<')
        {
            if (first is null)
            {
                return last == (byte)'{'; // name(args) {  - a method
            }
            return last != (byte)';' || isHeader;
        }
        // A C# property or field: public int Name { get; }  /  private readonly Foo name = ...
        return first is not null && Modifiers.Contains(first) && next is (byte)'{' or (byte)'=' or (byte)';';
    }

    /// <summary>
    /// A cheap necessary condition of <see cref="IsDeclaration"/> (allocation-free): when it is <c>false</c>,
    /// <see cref="IsDeclaration"/> is <c>false</c> for the same occurrence. The context index checks every identifier
    /// occurrence of a file once, for every spec to come, so it asks this first.
    /// </summary>
    public static bool MayDeclare(ReadOnlySpan<byte> text, int start, int end)
    {
        var floor = Math.Max(0, start - MaxLine);
        var i = start - 1;
        while (i >= floor && text[i] is (byte)' ' or (byte)'\t' or (byte)'*' or (byte)'&')
        {
            i--;
        }
        var joinedByDot = false;
        if (i >= floor && text[i] == (byte)'.')
        {
            joinedByDot = true;
            i--;
        }
        var wordEnd = i + 1;
        while (i >= floor && AsciiText.ClassOf(text[i]) != 0)
        {
            i--;
        }
        if (wordEnd - (i + 1) > 0)
        {
            var previous = text[(i + 1)..wordEnd];
            if (joinedByDot ? OwnerWords.Contains(previous) : DeclaringKeywords.Contains(previous) || VariableKeywords.Contains(previous))
            {
                return true;
            }
        }
        var ahead = text[end..Math.Min(text.Length, end + MaxLine)];
        var k = 0;
        while (k < ahead.Length && ahead[k] is (byte)' ' or (byte)'\t')
        {
            k++;
        }
        var next = k < ahead.Length && ahead[k] != (byte)'\n' ? ahead[k] : (byte)0;
        if (next is not ((byte)'(' or (byte)'<' or (byte)'{' or (byte)'=' or (byte)';'))
        {
            return false;
        }
        var back = text[floor..start];
        var prefix = back[(back.LastIndexOf((byte)'\n') + 1)..];
        var trimmed = prefix.TrimStart(" \t#"u8);
        var length = 0;
        while (length < trimmed.Length && AsciiText.ClassOf(trimmed[length]) != 0)
        {
            length++;
        }
        var first = trimmed[..length];
        if (next is (byte)'(' or (byte)'<')
        {
            if (first.IsEmpty)
            {
                // Nothing but blanks before it on the line (a call statement, mostly): only a method head
                // "name(args) {" declares.
                var newline = ahead.IndexOf((byte)'\n');
                return LastNonBlank(newline < 0 ? ahead : ahead[..newline]) == (byte)'{' && IsDeclarationPrefix(prefix);
            }
            if (next == (byte)'(' && LineStartingFunctions.Contains(first))
            {
                return true;
            }
            return IsDeclarationPrefix(prefix) && !NotDeclarations.Contains(first);
        }
        return Modifiers.Contains(first) && IsDeclarationPrefix(prefix);
    }

    /// <summary>Only type-like words may stand before a function name: letters, digits, blanks, <c>* &amp; &lt; &gt; : [ ] ~ @ ,</c> (inside generics).</summary>
    private static bool IsDeclarationPrefix(ReadOnlySpan<byte> prefix)
    {
        var depth = 0;
        for (var i = 0; i < prefix.Length; i++)
        {
            var b = prefix[i];
            if (AsciiText.ClassOf(b) != 0 || b is (byte)' ' or (byte)'\t' or (byte)'*' or (byte)'&' or (byte)'[' or (byte)']' or (byte)'~' or (byte)'@' or (byte)'?')
            {
                continue;
            }
            switch (b)
            {
                case (byte)'<':
                    depth++;
                    break;
                case (byte)'>':
                    depth--;
                    break;
                case (byte)':' when i + 1 < prefix.Length && prefix[i + 1] == (byte)':':
                    i++;
                    break;
                case (byte)':' when i > 0 && prefix[i - 1] == (byte)':':
                    break;
                case (byte)',' when depth > 0:
                    break;
                default:
                    return false;
            }
        }
        return depth == 0;
    }

    private static bool IsAssignment(ReadOnlySpan<byte> rest)
    {
        var trimmed = rest.TrimStart(" \t"u8);
        // "name = ..." or "name: Type = ..." (TypeScript), not "name == ..." or "name => ...".
        var equals = trimmed.IndexOf((byte)'=');
        if (equals < 0 || (equals > 0 && trimmed[0] != (byte)':'))
        {
            return false;
        }
        return equals + 1 >= trimmed.Length || trimmed[equals + 1] is not ((byte)'=' or (byte)'>');
    }

    /// <summary>The identifier right before the end of <paramref name="prefix"/> (blanks and <c>* &amp;</c> skipped);
    /// <paramref name="joinedByDot"/> tells whether a <c>.</c> separates it from the end.</summary>
    private static string? PreviousWord(ReadOnlySpan<byte> prefix, out bool joinedByDot)
    {
        joinedByDot = false;
        var i = prefix.Length - 1;
        while (i >= 0 && prefix[i] is (byte)' ' or (byte)'\t' or (byte)'*' or (byte)'&')
        {
            i--;
        }
        if (i >= 0 && prefix[i] == (byte)'.')
        {
            joinedByDot = true;
            i--;
        }
        var end = i + 1;
        while (i >= 0 && AsciiText.ClassOf(prefix[i]) != 0)
        {
            i--;
        }
        return end - (i + 1) > 0 ? AsciiText.ToAsciiString(prefix[(i + 1)..end]) : null;
    }

    private static string? FirstWord(ReadOnlySpan<byte> prefix)
    {
        var trimmed = prefix.TrimStart(" \t#"u8);
        var length = 0;
        while (length < trimmed.Length && AsciiText.ClassOf(trimmed[length]) != 0)
        {
            length++;
        }
        return length > 0 ? AsciiText.ToAsciiString(trimmed[..length]) : null;
    }

    private static byte FirstNonBlank(ReadOnlySpan<byte> text)
    {
        var trimmed = text.TrimStart(" \t"u8);
        return trimmed.IsEmpty ? (byte)0 : trimmed[0];
    }

    private static byte LastNonBlank(ReadOnlySpan<byte> text)
    {
        var trimmed = text.TrimEnd(" \t\r"u8);
        return trimmed.IsEmpty ? (byte)0 : trimmed[^1];
    }
}
