// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The umbrella header: everything a program needs to record layoff events and
// total them.
#pragma once

#include <layoffs/date.h>
#include <layoffs/error.h>
#include <layoffs/export.h>
#include <layoffs/headcount.h>
#include <layoffs/ids.h>
#include <layoffs/model.h>
#include <layoffs/options.h>
#include <layoffs/query.h>
#include <layoffs/tracker.h>
#include <layoffs/version.h>
