using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SpecSynth.Providers.Keys;

/// <summary>
/// A provider's <c>api_key_command</c> (like Claude Code's <c>apiKeyHelper</c>): run without a shell (the command split
/// into arguments, quotes respected) unless <c>api_key_shell = true</c>, within <see cref="Timeout"/>; each non-empty
/// line it prints is a key. Its output is kept for the TTL and the command runs again after it, or at once when
/// <see cref="Refresh"/> is called (a 401/403). Its standard error is never shown on success; errors name the command,
/// never a key. Thread-safe.
/// </summary>
internal sealed class KeyCommand
{
    /// <summary>How long the command may run.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>How long its output is used without running it again, by default.</summary>
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromMinutes(5);

    private readonly object gate = new();
    private readonly string provider;
    private readonly bool shell;
    private readonly TimeSpan ttl;
    private readonly TimeProvider time;
    private IReadOnlyList<string>? keys;
    private DateTimeOffset expires;

    public KeyCommand(string provider, string command, bool shell, TimeSpan? ttl, TimeProvider time)
    {
        this.provider = provider;
        Command = command;
        this.shell = shell;
        this.ttl = ttl ?? DefaultTtl;
        this.time = time;
    }

    /// <summary>The command as configured (named in errors).</summary>
    public string Command { get; }

    /// <summary>How many times the command ran (for tests and diagnostics).</summary>
    public int Runs { get; private set; }

    /// <summary>The keys, from the last run while it is fresh, else from a new run.</summary>
    /// <exception cref="SpecSynthException">The command could not start, failed, timed out or printed nothing (<see cref="ErrorKind.Auth"/>).</exception>
    public IReadOnlyList<string> GetKeys()
    {
        lock (gate)
        {
            if (keys is null || time.GetUtcNow() >= expires)
            {
                keys = Run();
                expires = time.GetUtcNow() + ttl;
            }
            return keys;
        }
    }

    /// <summary>Runs the command again now (the provider refused the key) and returns its keys.</summary>
    public IReadOnlyList<string> Refresh()
    {
        lock (gate)
        {
            keys = null;
        }
        return GetKeys();
    }

    private List<string> Run()
    {
        Runs++;
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        if (shell)
        {
            info.FileName = OperatingSystem.IsWindows() ? "cmd.exe" : "/bin/sh";
            info.ArgumentList.Add(OperatingSystem.IsWindows() ? "/c" : "-c");
            info.ArgumentList.Add(Command);
        }
        else
        {
            var argv = Split(Command);
            if (argv.Count == 0)
            {
                throw Fail("is empty");
            }
            info.FileName = argv[0];
            foreach (var arg in argv.Skip(1))
            {
                info.ArgumentList.Add(arg);
            }
        }
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw Fail($"could not start: {ex.Message}");
        }
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended meanwhile.
            }
            throw Fail(string.Create(CultureInfo.InvariantCulture, $"did not finish within {Timeout.TotalSeconds:0} s"));
        }
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            var first = error.GetAwaiter().GetResult().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .FirstOrDefault() ?? "";
            var detail = first.Length > 200 ? first[..200] + "…" : first;
            throw Fail(string.Create(CultureInfo.InvariantCulture, $"failed with exit code {process.ExitCode}")
                + (detail.Length > 0 ? $" (stderr: {detail})" : ""));
        }
        var lines = output.GetAwaiter().GetResult().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal).ToList();
        return lines.Count > 0 ? lines : throw Fail("printed no key");
    }

    private SpecSynthException Fail(string what) =>
        new(ErrorKind.Auth, $"{provider}: api_key_command '{Command}' {what}");

    /// <summary>Splits a command line into arguments: blanks separate them; single quotes keep everything, double quotes
    /// keep blanks, a backslash outside single quotes keeps the next character.</summary>
    internal static List<string> Split(string command)
    {
        var args = new List<string>();
        var current = new StringBuilder();
        var inArg = false;
        char? quote = null;
        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            if (quote == '\'')
            {
                if (c == '\'') { quote = null; } else { current.Append(c); }
            }
            else if (c == '\\' && i + 1 < command.Length)
            {
                current.Append(command[++i]);
                inArg = true;
            }
            else if (quote == '"')
            {
                if (c == '"') { quote = null; } else { current.Append(c); }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inArg = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inArg)
                {
                    args.Add(current.ToString());
                    current.Clear();
                    inArg = false;
                }
            }
            else
            {
                current.Append(c);
                inArg = true;
            }
        }
        if (quote is not null)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, $"api_key_command '{command}' has an unclosed {quote} quote");
        }
        if (inArg)
        {
            args.Add(current.ToString());
        }
        return args;
    }
}
