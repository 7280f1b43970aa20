//! Turns every Rust block in the book (`src/**/*.md`) into a test, so `cargo test` compiles and
//! runs each snippet the reader sees. A new chapter is covered the moment it exists.

fn main() {
    let pages = skeptic::markdown_files_of_directory("src");
    // Watching the folder catches new pages; watching each page catches edits.
    println!("cargo:rerun-if-changed=src");
    for page in &pages {
        println!("cargo:rerun-if-changed={}", page.display());
    }
    skeptic::generate_doc_tests(&pages);
}
