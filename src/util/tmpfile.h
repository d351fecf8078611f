/* tmpfile.h - files that people read (exports, reports), written beside
 * their target under a temporary name and published by rename.
 *
 * Owns:
 * - the temporary name of a write: ".NAME.taizhang-tmp.PID" in the target's
 *   folder, and ".NAME.taizhang-tmp.PID.TAG" for a scratch file of the same
 *   write (the chart workbooks of a .docx);
 * - the mode of those files, and so of the published file: exactly 0600
 *   whatever the umask, or 0640 and group-owned by the group named in the
 *   environment variable TZ_FILE_GROUP when it is set;
 * - removing this process's live temporary files when SIGINT, SIGTERM or
 *   SIGHUP ends it (then the signal goes on to its previous disposition);
 * - removing, at the next write to the same target, temporary files left by
 *   a run that was killed outright (SIGKILL, power loss): those whose PID no
 *   longer names a live process.
 *
 * Does not own: what goes into the files (io/, report/), database files
 * (store/).
 */
#ifndef TZ_TMPFILE_H
#define TZ_TMPFILE_H

/* Name of the environment variable that names the group of written files. */
#define TZ_FILE_GROUP_ENV "TZ_FILE_GROUP"

/* Creates the temporary file for target (tag NULL: the file to be renamed
 * onto target; otherwise a scratch file of the same write), after removing
 * stale leftovers of target (tz_tmp_sweep). The file is new (O_EXCL), open
 * for writing, close-on-exec, with the mode described above, and registered
 * for removal on SIGINT/SIGTERM/SIGHUP. Sets *tmp_path (caller frees, after
 * tz_tmp_publish or tz_tmp_discard). Returns the descriptor, or -1 with
 * errno set and *why a Chinese reason (static storage). */
int tz_tmp_create(const char *target, const char *tag, char **tmp_path, const char **why);

/* Renames tmp_path onto target and forgets it. Returns 0, or -1 with errno
 * set and *why a Chinese reason; on failure tmp_path is still there and
 * registered, for the caller to tz_tmp_discard. */
int tz_tmp_publish(const char *tmp_path, const char *target, const char **why);

/* Removes tmp_path and forgets it. Safe on NULL; keeps errno. */
void tz_tmp_discard(const char *tmp_path);

/* Removes the temporary files of target (any tag) whose PID no longer names
 * a live process, or names this process but was not created by it (a PID
 * reused after a reboot). Only regular files are removed. Returns how many
 * were removed. */
int tz_tmp_sweep(const char *target);

/* The mode written files get: 0600, or 0640 when TZ_FILE_GROUP is set. */
unsigned tz_tmp_mode(void);
/* Gives the open file fd that mode, and the group named by TZ_FILE_GROUP
 * when it is set (databases use it too). Returns 0, or -1 with errno set and
 * *why a Chinese reason (static storage). */
int tz_file_set_mode(int fd, const char **why);

#endif
