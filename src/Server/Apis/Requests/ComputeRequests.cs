using System.Text.Json;

namespace Firecrest.Server.Apis.Requests;

/// <summary>Body of <c>POST /compute/{system}/jobs</c>.</summary>
public sealed class SubmitJobRequest
{
    /// <summary>The job.</summary>
    public JobDescriptionBody? Job { get; set; }
}

/// <summary>A job to submit as the client sends it (wire model <c>JobDescription</c>).</summary>
public sealed class JobDescriptionBody
{
    /// <summary>Job name.</summary>
    public string? Name { get; set; }

    /// <summary>Account to charge.</summary>
    public string? Account { get; set; }

    /// <summary>Reservation.</summary>
    public string? Reservation { get; set; }

    /// <summary>Partition.</summary>
    public string? Partition { get; set; }

    /// <summary>Node features.</summary>
    public string? Constraints { get; set; }

    /// <summary>Working directory (required; also <c>current_working_directory</c>).</summary>
    [JsonAlias("current_working_directory")]
    public string? WorkingDirectory { get; set; }

    /// <summary>Stdin path.</summary>
    public string? StandardInput { get; set; }

    /// <summary>Stdout path.</summary>
    public string? StandardOutput { get; set; }

    /// <summary>Stderr path.</summary>
    public string? StandardError { get; set; }

    /// <summary>Environment: an object of strings or a list of <c>NAME=value</c> (also <c>environment</c>).</summary>
    [JsonAlias("environment")]
    public JsonElement? Env { get; set; }

    /// <summary>Inline script.</summary>
    public string? Script { get; set; }

    /// <summary>Path of a script on the cluster.</summary>
    public string? ScriptPath { get; set; }

    /// <summary>Extension: scheduler dependency, e.g. <c>afterok:12</c>.</summary>
    public string? Dependency { get; set; }
}

/// <summary>Body of <c>PUT /compute/{system}/jobs/{id}/attach</c>.</summary>
public sealed class AttachRequest
{
    /// <summary>Command to run in the job's allocation.</summary>
    public string? Command { get; set; }
}
