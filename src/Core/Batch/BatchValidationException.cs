namespace Firecrest.Core.Batch;

/// <summary>One problem of a run file, at a 1-based line and column.</summary>
/// <param name="File">Path of the run file (or <c>&lt;text&gt;</c>).</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Message">What is wrong and how to fix it.</param>
public sealed record BatchProblem(string File, int Line, int Column, string Message)
{
    /// <summary><c>file:line:column: message</c>, the form editors and CI logs understand.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}

/// <summary>A run file was refused before anything was submitted; lists every problem found.</summary>
public sealed class BatchValidationException : HpcException
{
    /// <summary>Creates the error from at least one problem.</summary>
    public BatchValidationException(IReadOnlyList<BatchProblem> problems)
        : base(HpcErrorKind.InvalidArgument, Describe(problems))
    {
        if (problems.Count == 0) throw new ArgumentException("At least one problem is needed.", nameof(problems));
        Problems = problems;
    }

    /// <summary>Every problem, in file order.</summary>
    public IReadOnlyList<BatchProblem> Problems { get; }

    /// <summary>File of the first problem.</summary>
    public string File => Problems[0].File;

    /// <summary>Line of the first problem.</summary>
    public int Line => Problems[0].Line;

    /// <summary>Column of the first problem.</summary>
    public int Column => Problems[0].Column;

    private static string Describe(IReadOnlyList<BatchProblem> problems) => problems.Count switch
    {
        0 => "Invalid run file.",
        1 => problems[0].ToString(),
        _ => $"{problems.Count} problems in the run file:{Environment.NewLine}" + string.Join(Environment.NewLine, problems),
    };
}
