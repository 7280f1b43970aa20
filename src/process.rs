//! What this process costs the machine at a moment: its threads, its address space, its
//! resident memory and the peak of that, as Linux reports them in `/proc/self/status`.
//!
//! ```
//! use loopbot::process::ProcessStatus;
//!
//! let status = ProcessStatus::parse("Name:\tlunch\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\nThreads:\t3\n");
//! assert_eq!(status.threads, 3);
//! assert_eq!(status.resident, 1024 * 1024);
//! assert_eq!(status.peak_resident, 2048 * 1024);
//! assert_eq!(status.address_space, 0); // not in the text: zero
//!
//! # if std::path::Path::new("/proc/self/status").exists() {
//! let now = ProcessStatus::read();
//! assert!(now.threads >= 1 && now.resident > 0 && now.peak_resident >= now.resident);
//! # }
//! ```

/// One reading of `/proc/self/status`. A field the system does not report reads as zero, and
/// so does every field where there is no `/proc`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProcessStatus {
    /// How many threads the process runs (`Threads`).
    pub threads: u64,
    /// Address space the process has reserved, in bytes (`VmSize`).
    pub address_space: u64,
    /// Memory the process has in RAM now, in bytes (`VmRSS`).
    pub resident: u64,
    /// The most memory the process has had in RAM at once, in bytes (`VmHWM`).
    pub peak_resident: u64,
}

impl ProcessStatus {
    /// Reads this process's status now.
    pub fn read() -> Self {
        Self::parse(&std::fs::read_to_string("/proc/self/status").unwrap_or_default())
    }

    /// Reads the fields out of the text of a `/proc/<pid>/status` file.
    pub fn parse(status: &str) -> Self {
        let number = |name: &str| -> u64 {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|value| value.parse().ok())
                .unwrap_or(0)
        };
        let kilobytes = |name: &str| number(name) * 1024;
        ProcessStatus {
            threads: number("Threads"),
            address_space: kilobytes("VmSize"),
            resident: kilobytes("VmRSS"),
            peak_resident: kilobytes("VmHWM"),
        }
    }
}
