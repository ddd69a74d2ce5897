/*
 * blobread.c - the history floor: read every blob of a repository once with
 * libgit2, as fast as it goes (pack order, hash verification off, one
 * repository handle per thread, the list split into contiguous halves).
 * What leakscan --history adds on top of this is its own cost.
 *
 * Built with -DBLOBREAD_PACKS (and src/source/pack.c, libdeflate), the blobs
 * are read by leakscan's own pack reader instead (object types still come
 * from libgit2's headers): what reading alone costs leakscan now.
 *
 * usage: blobread REPO [THREADS]     prints: blobs bytes seconds
 */
#define _POSIX_C_SOURCE 200809L
#include <git2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#ifdef BLOBREAD_PACKS
#include "leakscan/pack.h"
#endif

struct list {
    git_oid *v;
    size_t n, cap;
};

struct part {
    const char *path;
    const void *packs;
    const git_oid *oids;
    size_t n, blobs, bytes;
};

static int collect(const git_oid *oid, void *payload)
{
    struct list *l = payload;

    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4096;
        l->v = realloc(l->v, l->cap * sizeof(*l->v));
        if (!l->v)
            return -1;
    }
    git_oid_cpy(&l->v[l->n++], oid);
    return 0;
}

static void *reader(void *arg)
{
    struct part *p = arg;
    git_repository *repo;
    git_odb *odb;
    size_t i, len;
    git_object_t t;
#ifdef BLOBREAD_PACKS
    struct leakscan_pack_reader *pr = NULL;
#endif

    if (git_repository_open(&repo, p->path) || git_repository_odb(&odb, repo))
        return NULL;
    for (i = 0; i < p->n; i++) {
        git_odb_object *o;
        if (git_odb_read_header(&len, &t, odb, &p->oids[i]) || t != GIT_OBJECT_BLOB)
            continue;
#ifdef BLOBREAD_PACKS
        {
            const unsigned char *d;
            int type;
            if (!pr && leakscan_pack_reader_new(&pr, p->packs, (size_t)8 << 20))
                break;
            if (leakscan_pack_read(pr, p->oids[i].id, 0, &type, &d, &len) == 0) {
                p->bytes += len;
                p->blobs++;
                continue;
            }
        }
#endif
        if (git_odb_read(&o, odb, &p->oids[i]))
            continue;
        p->bytes += git_odb_object_size(o);
        p->blobs++;
        git_odb_object_free(o);
    }
#ifdef BLOBREAD_PACKS
    leakscan_pack_reader_free(pr);
#endif
    git_odb_free(odb);
    git_repository_free(repo);
    return NULL;
}

int main(int argc, char **argv)
{
    struct list l = {0};
    struct part parts[64];
    pthread_t tid[64];
    git_repository *repo;
    git_odb *odb;
    struct timespec a, b;
    int k, threads = argc > 2 ? atoi(argv[2]) : 2;
    size_t blobs = 0, bytes = 0;
#ifdef BLOBREAD_PACKS
    struct leakscan_packs *packs = NULL;
#else
    void *packs = NULL;
#endif

    if (argc < 2 || threads < 1 || threads > 64) {
        fprintf(stderr, "usage: blobread REPO [THREADS]\n");
        return 2;
    }
    git_libgit2_init();
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    clock_gettime(CLOCK_MONOTONIC, &a);
    if (git_repository_open(&repo, argv[1]) || git_repository_odb(&odb, repo) ||
        git_odb_foreach(odb, collect, &l)) {
        fprintf(stderr, "blobread: %s: cannot list objects\n", argv[1]);
        return 1;
    }
#ifdef BLOBREAD_PACKS
    {
        char objects[4096];
        snprintf(objects, sizeof(objects), "%sobjects", git_repository_commondir(repo));
        if (leakscan_packs_open(&packs, objects)) {
            fprintf(stderr, "blobread: %s: cannot open the packs\n", argv[1]);
            return 1;
        }
    }
#endif
    for (k = 0; k < threads; k++) {
        parts[k].path = argv[1];
        parts[k].packs = packs;
        parts[k].oids = l.v + l.n * (size_t)k / (size_t)threads;
        parts[k].n = l.n * (size_t)(k + 1) / (size_t)threads - l.n * (size_t)k / (size_t)threads;
        parts[k].blobs = parts[k].bytes = 0;
        pthread_create(&tid[k], NULL, reader, &parts[k]);
    }
    for (k = 0; k < threads; k++) {
        pthread_join(tid[k], NULL);
        blobs += parts[k].blobs;
        bytes += parts[k].bytes;
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("%zu %zu %.3f\n", blobs, bytes,
           (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
#ifdef BLOBREAD_PACKS
    leakscan_packs_free(packs);
#endif
    git_odb_free(odb);
    git_repository_free(repo);
    free(l.v);
    git_libgit2_shutdown();
    return 0;
}
