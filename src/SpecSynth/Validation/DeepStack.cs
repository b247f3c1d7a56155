using System.Runtime.ExceptionServices;

namespace SpecSynth.Validation;

/// <summary>
/// Runs a recursive parser on a thread with a large stack, so that deeply nested model output (thousands of
/// brackets) gives a diagnostic instead of a stack overflow, which would end the process.
/// </summary>
internal static class DeepStack
{
    private const int StackBytes = 256 * 1024 * 1024;

    /// <summary>Nesting beyond which a file is not parsed at all (the parsers recurse per level).</summary>
    internal const int MaxNesting = 10_000;

    public static T Run<T>(Func<T> parse)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = parse();
            }
            catch (Exception ex)
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }
        }, StackBytes)
        { IsBackground = true, Name = "specsynth-validate" };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary>The deepest bracket nesting in <paramref name="content"/> (strings and comments are not told apart).</summary>
    public static int Nesting(string content)
    {
        int depth = 0, max = 0;
        foreach (var c in content)
        {
            if (c is '(' or '[' or '{')
            {
                max = Math.Max(max, ++depth);
            }
            else if (c is ')' or ']' or '}' && depth > 0)
            {
                depth--;
            }
        }
        return max;
    }
}
