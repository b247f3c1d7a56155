using System.Text.RegularExpressions;

namespace SpecSynth.Specs;

/// <summary>
/// The patterns <see cref="TechInferrer"/> reads a spec's content with: statements ("a Python agent", "built with
/// FastAPI"), framework and package names as they are spelled (case matters: "Express" the framework, not
/// "express" the verb) or imported, build files and commands, and fenced code languages.
/// </summary>
internal static class TechSignals
{
    private const RegexOptions Options = RegexOptions.CultureInvariant;

    // Language names in prose. Go and C only in capitals; "Java" not followed by "Script".
    private static readonly (string Id, string Pattern)[] LanguageNames =
    [
        ("python", @"(?i:python)\d*"), ("typescript", @"(?i:typescript)"), ("javascript", @"(?i:javascript|node\.?js)"),
        ("rust", @"(?i:rust)"), ("go", @"Go|(?i:golang)"), ("csharp", @"C\#|\.NET|(?i:dotnet)"), ("java", @"(?i:java)(?!script)"),
        ("kotlin", @"(?i:kotlin)"), ("swift", @"(?i:swift)"), ("ruby", @"(?i:ruby)"), ("php", @"PHP|php"), ("cpp", @"C\+\+"),
        ("c", @"C(?![\w\#+])"), ("bash", @"(?i:bash|shell)"), ("powershell", @"(?i:powershell|pwsh)"),
    ];

    private const string Nouns = @"(?:agents?|scripts?|cli|command-line(?:\s+tool)?|librar(?:y|ies)|lib|apps?|applications?|tools?|services?|modules?|packages?|programs?|projects?|apis?|servers?|backends?|implementations?|crates?|functions?|classes|class|clients?|sdks?|bots?|games?|codebases?|microservices?|workers?|daemons?|utilit(?:y|ies)|web\s+apps?|version|port)";

    /// <summary>Sentences that state a language: "in Python", "written in Rust", "a Python agent", "a Bash script".</summary>
    public static readonly (string Id, Regex Pattern)[] LanguageStatements = LanguageStatementsOf(LanguageNames);

    // Plain loops, not LINQ over value-type pairs: ReadyToRun cannot precompile those, so every run's first parse JIT-compiled them.
    private static (string Id, Regex Pattern)[] LanguageStatementsOf((string Id, string Pattern)[] names)
    {
        var statements = new (string Id, Regex Pattern)[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            var (id, pattern) = names[i];
            statements[i] = (id, new Regex(
                @"(?i:\b(?:in|using|with|written\s+in|implemented\s+in|built\s+(?:in|with)|ported?\s+to)\s+(?:pure\s+|modern\s+|idiomatic\s+|plain\s+|vanilla\s+)?)(?<name>" + pattern + @")(?![\w\#+-])"
                + @"|(?i:\b(?:a|an|the|this|our)\s+(?:new\s+|small\s+|simple\s+|basic\s+|single\s+|standalone\s+|cross-platform\s+)?)(?<name>" + pattern + @")(?i:\s+(?:\w+\s+)?" + Nouns + @")\b",
                Options));
        }
        return statements;
    }

    /// <summary>Framework and package names as written, or as imported in code. Framework id, pattern.</summary>
    public static readonly (string Id, Regex Pattern)[] FrameworkNames =
    [
        ("nextjs", new(@"\bNext\.?js\b|\bNextJS\b|\bnext/(?:router|navigation|headers|link|image)\b|\bnext\.config\.", Options)),
        ("nuxt", new(@"\bNuxt(?:\.?js)?\b", Options)),
        ("sveltekit", new(@"\bSvelteKit\b|@sveltejs/kit", Options)),
        ("nestjs", new(@"\bNest\.?[Jj][Ss]\b|@nestjs/", Options)),
        ("aspnetcore", new(@"\bASP\.NET\b|\bMinimal APIs?\b|\bWebApplication\.CreateBuilder\b|\bMicrosoft\.AspNetCore\b", Options)),
        ("blazor", new(@"\bBlazor\b", Options)),
        ("maui", new(@"\bMAUI\b", Options)),
        ("fastapi", new(@"\bFastAPI\b|\bfrom fastapi\b|\bfastapi\b", Options)),
        ("django", new(@"\bDjango\b|\bfrom django\b", Options)),
        ("flask", new(@"\bFlask\b|\bfrom flask\b", Options)),
        ("pydantic-ai", new(@"\bPydantic ?AI\b|\bpydantic[_-]ai\b", Options)),
        ("spring", new(@"\bSpring Boot\b|@SpringBootApplication|\borg\.springframework\b", Options)),
        ("rails", new(@"\bRuby on Rails\b|\bRails\b", Options)),
        ("laravel", new(@"\bLaravel\b", Options)),
        ("symfony", new(@"\bSymfony\b", Options)),
        ("express", new(@"\bExpress(?:\.js)?\b(?!\s+(?:interest|concern|permission|consent))|require\(['""]express['""]\)|from ['""]express['""]|\bexpress\(\)|\bexpress\.Router\b", Options)),
        ("react", new(@"\bReact(?:\.js)?\b|from ['""]react['""]|\buse(?:State|Effect|Memo|Callback|Context|Reducer|Ref)\(", Options)),
        ("vue", new(@"\bVue(?:\.js)?\b|from ['""]vue['""]", Options)),
        ("angular", new(@"\bAngular\b|@angular/", Options)),
        ("svelte", new(@"\bSvelte\b", Options)),
        ("gin", new(@"\bGin\b|gin-gonic|\bgin\.Default\(", Options)),
        ("actix", new(@"\b[Aa]ctix(?:[-_ ][Ww]eb)?\b", Options)),
        ("axum", new(@"\b[Aa]xum\b", Options)),
        ("tokio", new(@"\b[Tt]okio\b", Options)),
        ("swiftui", new(@"\bSwiftUI\b", Options)),
        ("vapor", new(@"\bVapor\b", Options)),
        ("ktor", new(@"\bKtor\b", Options)),
    ];

    /// <summary>Build files and commands: language id, a label for the tool (counted once), pattern.</summary>
    public static readonly (string Id, string Tool, Regex Pattern)[] BuildSignals =
    [
        ("rust", "cargo", new(@"\bcargo\s+(?:build|test|run|add|new|init|check|clippy|fmt|bench|install|doc)\b", Options)),
        ("rust", "Cargo.toml", new(@"\bCargo\.toml\b", Options)),
        ("javascript", "npm", new(@"\b(?:npm|pnpm|yarn)\s+(?:install|i|run|test|add|start|build|ci|init|create|exec)\b|\bnpx\s+[\w@]", Options)),
        ("javascript", "package.json", new(@"\bpackage\.json\b", Options)),
        ("typescript", "tsconfig.json", new(@"\btsconfig(?:\.\w+)?\.json\b", Options)),
        ("typescript", "tsc", new(@"\btsc\b(?!\w)", Options)),
        ("csharp", "dotnet", new(@"\bdotnet\s+(?:build|test|run|new|add|publish|restore|format|tool|watch|ef)\b", Options)),
        ("csharp", "csproj", new(@"\.(?:csproj|slnx?)\b", Options)),
        ("python", "pytest", new(@"\bpytest\b", Options)),
        ("python", "pip", new(@"\bpip3?\s+install\b", Options)),
        ("python", "uv", new(@"\buv\s+(?:run|add|sync|pip|venv|init|tool)\b", Options)),
        ("python", "poetry", new(@"\bpoetry\s+(?:run|add|install|init|new)\b", Options)),
        ("python", "pyproject.toml", new(@"\bpyproject\.toml\b", Options)),
        ("python", "requirements.txt", new(@"\brequirements(?:-dev)?\.txt\b", Options)),
        ("python", "python", new(@"\bpython3?\s+(?:-m\s+\w|\S+\.py\b)", Options)),
        ("python", "ruff/mypy", new(@"\b(?:ruff|mypy)\s+(?:check|format|\.|src|--)", Options)),
        ("go", "go", new(@"\bgo\s+(?:build|test|run|mod|get|vet|install|generate)\b", Options)),
        ("go", "go.mod", new(@"\bgo\.mod\b", Options)),
        ("swift", "swift", new(@"\bswift\s+(?:build|test|run|package)\b|\bxcodebuild\b", Options)),
        ("swift", "Package.swift", new(@"\bPackage\.swift\b", Options)),
        ("java", "maven", new(@"\bmvn\s+\w|\bpom\.xml\b", Options)),
        ("java", "gradle", new(@"\bgradlew?\s+\w|\bbuild\.gradle\b", Options)),
        ("ruby", "bundler", new(@"\bbundle\s+(?:exec|install)\b|\bGemfile\b", Options)),
        ("php", "composer", new(@"\bcomposer\s+(?:install|require)\b|\bcomposer\.json\b", Options)),
        ("bash", "shellcheck", new(@"\bshellcheck\b|\bbats\s+\S", Options)),
        ("bash", "shebang", new(@"^#!/(?:usr/)?bin/(?:env\s+)?(?:ba)?sh\b", Options)),
        ("powershell", "pester", new(@"\bInvoke-Pester\b|\bPSScriptAnalyzer\b|\bSet-StrictMode\b|\$PSScriptRoot\b", Options)),
    ];

    /// <summary>Language syntax in prose code spans and unlabelled fences: language id, pattern.</summary>
    public static readonly (string Id, Regex Pattern)[] Syntax =
    [
        ("rust", new(@"\bfn\s+\w+\s*[(<]|\bimpl(?:<[^>]*>)?\s+\w|\b(?:Vec|Option|Result|Arc|Box)<|&(?:mut\s+)?str\b|\b[A-Z]\w*::[a-z_]\w*\(|\bpub\s+(?:fn|struct|enum|trait|mod)\b", Options)),
        ("python", new(@"\bdef\s+\w+\(|\bself\.\w+|^\s*from\s+\w+(?:\.\w+)*\s+import\s|\basync\s+def\b|@dataclass\b", Options)),
        ("typescript", new(@"\binterface\s+\w+\s*(?:extends\s+\w+\s*)?\{|\w\??:\s*(?:string|number|boolean)(?:\[\])?\s*[;,)=]|\bexport\s+(?:const|function|default|interface|type|async)\b", Options)),
        ("csharp", new(@"\bpublic\s+(?:sealed\s+|static\s+|async\s+|override\s+)*(?:class|record|interface|Task<?)|\busing\s+System\b|\bnamespace\s+\w+(?:\.\w+)*;", Options)),
        ("go", new(@"\bfunc\s+(?:\(\w+\s+\*?\w+\)\s*)?\w+\(|\bpackage\s+main\b|\w\s*:=\s", Options)),
        ("swift", new(@"\bfunc\s+\w+\([^)]*\)\s*(?:async\s+)?(?:throws\s+)?->|@(?:Observable|MainActor|Published)\b|\bimport\s+(?:Foundation|SwiftUI|AVFoundation|CoreAudio)\b|\bstruct\s+\w+\s*:\s*(?:View|Codable)\b", Options)),
    ];

    /// <summary>Framework statements: "with FastAPI", "using React", "a FastAPI service", "built on Axum".</summary>
    public static readonly (string Id, Regex Pattern)[] FrameworkStatements = FrameworkStatementsOf(FrameworkNames, Brands);

    private static (string Id, Regex Pattern)[] FrameworkStatementsOf((string Id, Regex Pattern)[] names, Dictionary<string, string> brands)
    {
        var statements = new List<(string Id, Regex Pattern)>(names.Length);
        for (var i = 0; i < names.Length; i++)
        {
            if (brands.GetValueOrDefault(names[i].Id) is { } brand)
            {
                statements.Add((names[i].Id, new Regex(
                    @"(?i:\b(?:with|using|in|on|on\s+top\s+of|built\s+(?:on|with)|based\s+on|via|uses)\s+(?:the\s+)?)(?:" + brand + @")\b"
                    + @"|(?i:\b(?:a|an|the|this)\s+)(?:" + brand + @")(?i:\s+(?:\w+\s+)?(?:app|application|api|service|server|agent|backend|frontend|project|site|web\s+app|microservice|cli|bot))\b",
                    Options)));
            }
        }
        return statements.ToArray();
    }

    private static Dictionary<string, string> Brands => new(StringComparer.Ordinal)
    {
        ["nextjs"] = @"Next\.?js",
        ["nuxt"] = "Nuxt",
        ["sveltekit"] = "SvelteKit",
        ["nestjs"] = @"NestJS|Nest\.js",
        ["aspnetcore"] = @"ASP\.NET(?: Core)?(?: Minimal APIs?)?|Minimal APIs?",
        ["blazor"] = "Blazor",
        ["maui"] = @"(?:\.NET )?MAUI",
        ["fastapi"] = "FastAPI",
        ["django"] = "Django",
        ["flask"] = "Flask",
        ["pydantic-ai"] = @"Pydantic ?AI",
        ["spring"] = "Spring Boot",
        ["rails"] = "(?:Ruby on )?Rails",
        ["laravel"] = "Laravel",
        ["symfony"] = "Symfony",
        ["express"] = @"Express(?:\.js)?",
        ["react"] = @"React(?:\.js)?",
        ["vue"] = @"Vue(?:\.js)?",
        ["angular"] = "Angular",
        ["svelte"] = "Svelte",
        ["gin"] = "Gin",
        ["actix"] = "Actix(?:[- ][Ww]eb)?",
        ["axum"] = "[Aa]xum",
        ["tokio"] = "[Tt]okio",
        ["swiftui"] = "SwiftUI",
        ["vapor"] = "Vapor",
        ["ktor"] = "Ktor",
    };

    /// <summary>The language id of a fence info string (<c>py</c>, <c>tsx</c>, <c>sh</c>), or null for data and text fences.</summary>
    public static string? FenceLanguage(string info) => info switch
    {
        "python" or "py" or "python3" or "py3" or "pycon" => "python",
        "typescript" or "ts" or "tsx" => "typescript",
        "javascript" or "js" or "jsx" or "node" or "mjs" => "javascript",
        "rust" or "rs" => "rust",
        "go" or "golang" => "go",
        "csharp" or "cs" or "c#" => "csharp",
        "java" => "java",
        "kotlin" or "kt" => "kotlin",
        "swift" => "swift",
        "ruby" or "rb" => "ruby",
        "php" => "php",
        "c" => "c",
        "cpp" or "c++" or "cc" => "cpp",
        "bash" or "sh" or "shell" or "zsh" or "console" or "shell-session" => "bash",
        "powershell" or "ps1" or "pwsh" or "ps" => "powershell",
        _ => null,
    };

    /// <summary>The language id of a path's extension for inference (programming languages and shells), or null.</summary>
    public static string? PathLanguage(string path) => Projects.LanguageMap.FromPath(path) switch
    {
        "shell" => "bash",
        "powershell" => "powershell",
        "vue" => "javascript",
        "svelte" => "javascript",
        { } language when Projects.LanguageMap.Programming.Contains(language) => language,
        _ => null,
    };
}
