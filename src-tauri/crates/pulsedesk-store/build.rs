//! Rebuilds the crate when a migration is added: `sqlx::migrate!` embeds the folder's files
//! at compile time, and Cargo does not otherwise notice a new file in it.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
