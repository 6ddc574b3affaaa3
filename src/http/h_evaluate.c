/* h_evaluate.c - the department reverse evaluation (POST/GET /events/{id}/department_ratings),
 * property companies (/property_companies) and the two rankings built on them
 * (GET /stats/ranking?kind=departments|property): decoding and JSON only. Who may do what and
 * the arithmetic are app/evaluate.c's, app/stats.c's and core/indicators.c's. */
#include "http/http_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/time.h"

static json_t *json_rating(const struct dept_rating *d)
{
    return json_pack("{s:I, s:I, s:i, s:s, s:I, s:I, s:o}", "event_id", (json_int_t)d->event_id,
                     "department_id", (json_int_t)d->dept_org_id, "score", d->score, "note",
                     d->note, "rater_id", (json_int_t)d->rater_id, "rater_org_id",
                     (json_int_t)d->rater_org_id, "at", jtime(d->at));
}

int http_dept_ratings_create(struct req *r, struct reply *out)
{
    json_t *b = req_body(r);
    struct dept_rating_input in = {0};
    int64_t dept = 0, score = 0;
    int rc = jin_int(b, "department_id", true, 1, INT64_MAX, &dept, &r->err);
    if (!rc)
        rc = jin_int(b, "score", true, 1, 5, &score, &r->err);
    if (!rc)
        rc = jin_str(b, "note", false, GG_MAX_NOTE, &in.note, &r->err);
    if (rc < 0)
        return rc;
    in.dept_org_id = dept;
    in.score = (int)score;
    struct dept_rating d;
    rc = app_dept_rate(r->app, &r->actor, r->id, &in, r->now, &d, &r->err);
    if (rc)
        return rc;
    reply_json(out, 201, json_rating(&d));
    return 0;
}

int http_dept_ratings_list(struct req *r, struct reply *out)
{
    struct dept_rating *items = NULL;
    size_t n = 0;
    int rc = app_dept_ratings(r->app, &r->actor, r->id, &items, &n, &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_rating(&items[i]));
    free(items);
    reply_json(out, 200, json_list(a, NULL));
    return 0;
}

/* ---- property companies ---- */

static json_t *json_property(struct app *app, const struct property_view *v)
{
    json_t *areas = json_array();
    for (size_t i = 0; areas && i < v->n_areas; i++) {
        char name[GG_NAME_SZ] = "";
        app_org_name(app, v->areas[i].org_id, name, sizeof name);
        json_array_append_new(areas, json_pack("{s:I, s:s, s:i}", "org_id",
                                               (json_int_t)v->areas[i].org_id, "name", name,
                                               "households", v->areas[i].households));
    }
    return json_pack("{s:I, s:s, s:o, s:I, s:o, s:o}", "id", (json_int_t)v->c.id, "name",
                     v->c.name, "areas", areas ? areas : json_array(), "households",
                     (json_int_t)v->households, "created_at", jtime(v->c.created_at),
                     "updated_at", jtime(v->c.updated_at));
}

/* {name?, areas?: [{org_id, households?}]}; *areas heap */
static int property_body(struct req *r, struct property_input *in,
                         struct property_area_input **areas)
{
    json_t *b = req_body(r);
    *areas = NULL;
    memset(in, 0, sizeof *in);
    int rc = jin_str(b, "name", false, GG_MAX_NAME, &in->name, &r->err);
    if (rc < 0)
        return rc;
    json_t *ja = json_object_get(b, "areas");
    if (!ja || json_is_null(ja))
        return 0;
    if (!json_is_array(ja) || json_array_size(ja) > 200)
        return gg_error_set(&r->err, GG_EINVAL, "areas", "areas 应为不超过 200 项的数组");
    in->set_areas = true;
    in->n_areas = json_array_size(ja);
    if (!in->n_areas)
        return 0;
    *areas = calloc(in->n_areas, sizeof **areas);
    if (!*areas)
        return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < in->n_areas; i++) {
        json_t *it = json_array_get(ja, i);
        int64_t org = 0, hh = -1;
        if (!json_is_object(it))
            return gg_error_set(&r->err, GG_EINVAL, "areas", "areas 的每一项应为对象");
        rc = jin_int(it, "org_id", true, 1, INT64_MAX, &org, &r->err);
        if (!rc || rc == 1)
            rc = jin_int(it, "households", false, 0, 1000000, &hh, &r->err);
        if (rc < 0)
            return rc;
        (*areas)[i].org_id = org;
        (*areas)[i].households = (int)hh;
    }
    in->areas = *areas;
    return 0;
}

static int property_write(struct req *r, struct reply *out, bool create)
{
    struct property_input in;
    struct property_area_input *areas = NULL;
    int rc = property_body(r, &in, &areas);
    struct property_view v;
    memset(&v, 0, sizeof v);
    if (!rc)
        rc = create ? app_property_create(r->app, &r->actor, &in, r->now, &v, &r->err)
                    : app_property_update(r->app, &r->actor, r->id, &in, r->now, &v, &r->err);
    free(areas);
    if (rc)
        return rc;
    reply_json(out, create ? 201 : 200, json_property(r->app, &v));
    app_property_view_release(&v);
    return 0;
}

int http_property_create(struct req *r, struct reply *out)
{
    return property_write(r, out, true);
}

int http_property_update(struct req *r, struct reply *out)
{
    return property_write(r, out, false);
}

int http_property_get(struct req *r, struct reply *out)
{
    struct property_view v;
    int rc = app_property_get(r->app, &r->actor, r->id, &v, &r->err);
    if (rc)
        return rc;
    reply_json(out, 200, json_property(r->app, &v));
    app_property_view_release(&v);
    return 0;
}

int http_property_list(struct req *r, struct reply *out)
{
    struct property_view *items = NULL;
    size_t n = 0;
    int rc = app_property_list(r->app, &r->actor, &items, &n, &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        if (a)
            json_array_append_new(a, json_property(r->app, &items[i]));
        app_property_view_release(&items[i]);
    }
    free(items);
    reply_json(out, 200, json_list(a, NULL));
    return 0;
}

/* ---- the two rankings (GET /stats/ranking?kind=…) ---- */

static json_t *jratio(int64_t num, int64_t den)
{
    return den > 0 ? json_real((double)num / (double)den) : json_null();
}

int http_ranking_departments(struct req *r, struct reply *out, int64_t parent_id, int64_t from,
                             int64_t to)
{
    struct dept_rank_item *items = NULL;
    size_t n = 0;
    int rc = app_stats_departments(r->app, &r->actor, parent_id, from, to, &items, &n, &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        const struct dept_rank_item *it = &items[i];
        json_array_append_new(
            a, json_pack("{s:i, s:o, s:o, s:o, s:I, s:I, s:I, s:o, s:I, s:o}", "rank", it->rank,
                         "org", json_org_brief(&it->org), "score",
                         it->has_score ? json_real(it->score) : json_null(), "stars",
                         it->has_score ? json_integer(it->stars) : json_null(), "whistles",
                         (json_int_t)it->st.whistles, "reported_in", (json_int_t)it->st.reported,
                         "reported_on_time", (json_int_t)it->st.on_time, "on_time_rate",
                         jratio(it->st.on_time, it->st.whistles), "ratings",
                         (json_int_t)it->st.ratings, "mean_rating",
                         it->st.ratings ? json_real((double)it->st.score_sum /
                                                    (double)it->st.ratings)
                                        : json_null()));
    }
    free(items);
    json_t *o = json_pack("{s:s, s:I, s:o, s:o, s:o}", "kind", "departments", "parent_id",
                          (json_int_t)(parent_id ? parent_id : r->actor.scope_org_id), "from",
                          jtime(from), "to", jtime(to), "items", a ? a : json_array());
    reply_json(out, 200, o);
    return 0;
}

int http_ranking_property(struct req *r, struct reply *out, int64_t org_id, int64_t from,
                          int64_t to)
{
    struct property_rank_item *items = NULL;
    size_t n = 0;
    int rc = app_stats_property(r->app, &r->actor, org_id, from, to, &items, &n, &r->err);
    if (rc)
        return rc;
    json_t *a = json_array(), *red = json_array(), *black = json_array();
    for (size_t i = 0; a && i < n; i++) {
        const struct property_rank_item *it = &items[i];
        const char *list = it->list > 0 ? "red" : it->list < 0 ? "black" : NULL;
        json_array_append_new(
            a, json_pack("{s:i, s:I, s:s, s:o, s:I, s:I, s:o, s:I, s:o, s:o}", "rank", it->rank,
                         "id", (json_int_t)it->c.id, "name", it->c.name, "score",
                         it->has_score ? json_real(it->score) : json_null(), "households",
                         (json_int_t)it->households, "complaints", (json_int_t)it->complaints,
                         "complaints_per_1000_households",
                         it->has_rate ? json_real(it->rate) : json_null(), "rated",
                         (json_int_t)it->rated, "satisfaction_rate",
                         jratio(it->satisfied, it->rated), "list",
                         list ? json_string(list) : json_null()));
        if (it->list > 0 && red)
            json_array_append_new(red, json_integer(it->c.id));
        if (it->list < 0 && black)
            json_array_append_new(black, json_integer(it->c.id));
    }
    free(items);
    json_t *o = json_pack("{s:s, s:I, s:o, s:o, s:o, s:o, s:o}", "kind", "property", "org_id",
                          (json_int_t)(org_id ? org_id : r->actor.scope_org_id), "from",
                          jtime(from), "to", jtime(to), "items", a ? a : json_array(),
                          "red_list", red ? red : json_array(), "black_list",
                          black ? black : json_array());
    reply_json(out, 200, o);
    return 0;
}
