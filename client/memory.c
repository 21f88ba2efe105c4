/*-------------------------------------------------------------------------
 *
 * memory.c
 *		Memory contexts for the client program: palloc and its family,
 *		in place of libpgcommon's (one malloc per chunk, freed by no one),
 *		so that the engine's per-transaction and per-batch contexts are
 *		reset as in the server and a long stream runs in bounded memory.
 *
 * A context is a list of chunks, each malloc'd with a header that links
 * it into its context; pfree unlinks and frees one, a reset frees them
 * all and deletes the child contexts.  No block pooling: the engine's
 * allocations are few per operation, and malloc pools them.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "backend.h"

/* the server's: utils/memnodes.h defines its own MemoryContextData */
struct MemoryContextData
{
	struct MemoryContextData *parent;
	struct MemoryContextData *firstchild;
	struct MemoryContextData *nextchild;
	struct MemoryChunk *chunks;
	const char *name;
};

typedef struct MemoryChunk
{
	struct MemoryChunk *prev;
	struct MemoryChunk *next;
	MemoryContext context;
	Size		size;
	/* the chunk's memory follows, aligned as malloc aligns */
	max_align_t data[FLEXIBLE_ARRAY_MEMBER];
} MemoryChunk;

#define CHUNK_OF(p)	((MemoryChunk *) ((char *) (p) - offsetof(MemoryChunk, data)))

static struct MemoryContextData top_context = {NULL, NULL, NULL, NULL, "TopMemoryContext"};

MemoryContext TopMemoryContext = &top_context;
MemoryContext CurrentMemoryContext = &top_context;

/* what memutils.h declares, which the client cannot include here */
extern MemoryContext AllocSetContextCreateInternal(MemoryContext parent, const char *name,
												   Size minContextSize, Size initBlockSize,
												   Size maxBlockSize);
extern void MemoryContextReset(MemoryContext context);
extern void MemoryContextDelete(MemoryContext context);

static void *
chunk_alloc(MemoryContext context, Size size, bool zero)
{
	MemoryChunk *chunk = malloc(offsetof(MemoryChunk, data) + size);

	if (chunk == NULL)
	{
		fprintf(stderr, "out of memory (%zu bytes)\n", (size_t) size);
		exit(2);
	}
	chunk->context = context;
	chunk->size = size;
	chunk->prev = NULL;
	chunk->next = context->chunks;
	if (context->chunks)
		context->chunks->prev = chunk;
	context->chunks = chunk;
	if (zero)
		memset(chunk->data, 0, size);
	return chunk->data;
}

static void
chunk_free(MemoryChunk *chunk)
{
	MemoryContext context = chunk->context;

	if (chunk->prev)
		chunk->prev->next = chunk->next;
	else
		context->chunks = chunk->next;
	if (chunk->next)
		chunk->next->prev = chunk->prev;
	free(chunk);
}

void *
MemoryContextAlloc(MemoryContext context, Size size)
{
	return chunk_alloc(context, size, false);
}

void *
MemoryContextAllocZero(MemoryContext context, Size size)
{
	return chunk_alloc(context, size, true);
}

void *
palloc(Size size)
{
	return chunk_alloc(CurrentMemoryContext, size, false);
}

void *
palloc0(Size size)
{
	return chunk_alloc(CurrentMemoryContext, size, true);
}

void *
palloc_extended(Size size, int flags)
{
	return chunk_alloc(CurrentMemoryContext, size, (flags & MCXT_ALLOC_ZERO) != 0);
}

void
pfree(void *pointer)
{
	chunk_free(CHUNK_OF(pointer));
}

/* in the chunk's own context, wherever the caller is */
void *
repalloc(void *pointer, Size size)
{
	MemoryChunk *old = CHUNK_OF(pointer);
	void	   *new = chunk_alloc(old->context, size, false);

	memcpy(new, pointer, Min(old->size, size));
	chunk_free(old);
	return new;
}

char *
MemoryContextStrdup(MemoryContext context, const char *string)
{
	size_t		len = strlen(string) + 1;
	char	   *copy = chunk_alloc(context, len, false);

	memcpy(copy, string, len);
	return copy;
}

char *
pstrdup(const char *in)
{
	return MemoryContextStrdup(CurrentMemoryContext, in);
}

char *
pnstrdup(const char *in, Size len)
{
	char	   *out;

	len = strnlen(in, len);
	out = palloc(len + 1);
	memcpy(out, in, len);
	out[len] = '\0';
	return out;
}

MemoryContext
MemoryContextSwitchTo(MemoryContext context)
{
	MemoryContext old = CurrentMemoryContext;

	CurrentMemoryContext = context;
	return old;
}

MemoryContext
AllocSetContextCreateInternal(MemoryContext parent, const char *name, Size minContextSize,
							  Size initBlockSize, Size maxBlockSize)
{
	MemoryContext context = calloc(1, sizeof(struct MemoryContextData));

	if (context == NULL)
	{
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	context->name = name;
	context->parent = parent;
	context->nextchild = parent->firstchild;
	parent->firstchild = context;
	return context;
}

/* its chunks freed, its children deleted, as the server's reset does */
void
MemoryContextReset(MemoryContext context)
{
	while (context->firstchild)
		MemoryContextDelete(context->firstchild);
	while (context->chunks)
		chunk_free(context->chunks);
}

void
MemoryContextDelete(MemoryContext context)
{
	MemoryContext parent = context->parent;

	MemoryContextReset(context);
	if (parent)
	{
		MemoryContext *link = &parent->firstchild;

		while (*link != context)
			link = &(*link)->nextchild;
		*link = context->nextchild;
	}
	if (CurrentMemoryContext == context)
		CurrentMemoryContext = parent;
	if (context != &top_context)
		free(context);
}
